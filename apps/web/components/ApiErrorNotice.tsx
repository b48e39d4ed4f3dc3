'use client';
/** The one way pages show a failed API call: "the API is down" with how to start it, or the API's own message. */
import { ApiError, ApiUnreachableError } from '../lib/api';
import { useApi } from './ApiProvider';

export function ApiErrorNotice({ error, retrying = false }: { error: Error | null; retrying?: boolean }) {
  const { config } = useApi();
  if (!error) return null;
  if (error instanceof ApiUnreachableError) {
    return (
      <div role="alert" className="notice notice-error">
        <strong>The Guidance Lab API is not reachable</strong> at <code>{config.url}</code>. Start everything with{' '}
        <code>npm start</code> (or the API alone with <code>npx tsx apps/api/src/main.ts</code>), or point the dashboard elsewhere
        with <code>API_URL</code>.{retrying ? ' Retrying every few seconds…' : ''}
      </div>
    );
  }
  const unauthenticated = error instanceof ApiError && error.errors.some((e) => e.code === 'UNAUTHENTICATED');
  return (
    <div role="alert" className="notice notice-error">
      {error.message}
      {unauthenticated ? ' — set the API token (top right) to the value of GUIDANCE_API_TOKEN.' : ''}
    </div>
  );
}
