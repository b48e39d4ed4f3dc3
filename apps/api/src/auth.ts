import { timingSafeEqual } from 'node:crypto';
import type { AccessPolicy } from './access';

/** The bearer token a request presents: `Authorization: Bearer <token>`, or `access_token` (RFC 6750 §2.3) for URLs an <img> or a link opens. */
export function presentedToken(authorization: string | undefined, accessToken?: unknown): string {
  const bearer = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1]?.trim();
  return bearer ?? (typeof accessToken === 'string' ? accessToken : '');
}

/** True when the policy has no token or `presented` is it (compared in constant time). */
export function tokenMatches(policy: Pick<AccessPolicy, 'token'>, presented: string): boolean {
  if (!policy.token) return true;
  const a = Buffer.from(presented);
  const b = Buffer.from(policy.token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** What a request may do: change anything (mutations) and read anything (queries, files). */
export function permissions(policy: AccessPolicy, presented: string): { mayMutate: boolean; mayRead: boolean } {
  const authorised = tokenMatches(policy, presented);
  return { mayMutate: authorised, mayRead: authorised || !policy.tokenReads };
}
