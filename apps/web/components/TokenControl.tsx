'use client';
/** Sets the bearer token mutations need when the API runs with GUIDANCE_API_TOKEN. */
import { useState } from 'react';
import { useApi } from './ApiProvider';

export function TokenControl() {
  const { config, setToken } = useApi();
  const [draft, setDraft] = useState('');
  return (
    <details className="token">
      <summary>API token{config.token ? ' ✓' : ''}</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setToken(draft.trim() || null);
          setDraft('');
        }}
      >
        <label htmlFor="api-token">Bearer token for launching and changing sweeps</label>
        <input id="api-token" type="password" value={draft} onChange={(e) => setDraft(e.target.value)} autoComplete="off" />
        <button type="submit">Save</button>
        {config.token ? (
          <button type="button" onClick={() => setToken(null)}>
            Forget
          </button>
        ) : null}
      </form>
    </details>
  );
}
