'use client';
/** Sets the bearer token the API wants (GUIDANCE_API_TOKEN): sent with every request, and on grid and export URLs. */
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
        <label htmlFor="api-token">Bearer token (GUIDANCE_API_TOKEN) for changing sweeps, and for reading them when the API protects reads</label>
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
