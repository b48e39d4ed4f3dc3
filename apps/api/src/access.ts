/**
 * Who may reach the API and what they may do. Safe by default: it listens on 127.0.0.1, answers
 * browsers only from the dashboard's own origins, and refuses to listen beyond this machine without
 * a token. With GUIDANCE_API_TOKEN set, changes need the token; with GUIDANCE_TOKEN_READS=1 too,
 * so do reads (docs/security.md says who sees what).
 */
import { isIP } from 'node:net';

export interface AccessPolicy {
  /** Interface to listen on (GUIDANCE_HOST, default 127.0.0.1). */
  host: string;
  /** GUIDANCE_API_TOKEN; null: no token, everything is open to whoever can connect. */
  token: string | null;
  /** GUIDANCE_TOKEN_READS=1: queries, subscriptions, exports and grids need the token too. */
  tokenReads: boolean;
  /** Browser origins allowed to call the API (GUIDANCE_ALLOWED_ORIGINS, comma-separated). */
  allowedOrigins: string[];
}

/** The dashboard's origins as `npm start` serves it (GUIDANCE_WEB_PORT, default 3000). */
export function dashboardOrigins(env: NodeJS.ProcessEnv = process.env): string[] {
  const port = env.GUIDANCE_WEB_PORT || '3000';
  return [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
}

function parseOrigins(raw: string): string[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((origin) => {
      let url: URL;
      try {
        url = new URL(origin);
      } catch {
        throw new Error(`GUIDANCE_ALLOWED_ORIGINS must list origins like http://localhost:3000, comma-separated (got "${origin}")`);
      }
      if (url.origin === 'null' || url.pathname !== '/' || url.search || url.hash) {
        throw new Error(`GUIDANCE_ALLOWED_ORIGINS must list bare origins (scheme://host:port), not "${origin}"`);
      }
      return url.origin;
    });
}

export function accessFromEnv(env: NodeJS.ProcessEnv = process.env): AccessPolicy {
  const reads = env.GUIDANCE_TOKEN_READS ?? '';
  if (!['', '0', '1'].includes(reads)) throw new Error(`GUIDANCE_TOKEN_READS must be 1 or 0 (got "${reads}")`);
  return {
    host: env.GUIDANCE_HOST || '127.0.0.1',
    token: env.GUIDANCE_API_TOKEN || null,
    tokenReads: reads === '1',
    allowedOrigins: env.GUIDANCE_ALLOWED_ORIGINS ? parseOrigins(env.GUIDANCE_ALLOWED_ORIGINS) : dashboardOrigins(env),
  };
}

/** Host names and addresses that only this machine can reach. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  return h === '::1' || h === '::ffff:127.0.0.1';
}

/** Refuses a policy that would open the API beyond this machine to anyone. */
export function checkExposure(policy: AccessPolicy): void {
  if (policy.tokenReads && !policy.token) {
    throw new Error('GUIDANCE_TOKEN_READS=1 needs GUIDANCE_API_TOKEN: set the token that reads should require');
  }
  if (!isLoopback(policy.host) && !policy.token) {
    throw new Error(
      `refusing to listen on ${policy.host} (GUIDANCE_HOST) without GUIDANCE_API_TOKEN: anyone on the network could launch and delete sweeps. ` +
        'Set GUIDANCE_API_TOKEN to a long random secret (and GUIDANCE_TOKEN_READS=1 to protect reads too), or leave GUIDANCE_HOST unset to listen on 127.0.0.1 only.',
    );
  }
}
