import { timingSafeEqual } from 'node:crypto';

/** With GUIDANCE_API_TOKEN set, only `Authorization: Bearer <token>` may change anything. */
export function mayMutate(authorization: string | undefined, token = process.env.GUIDANCE_API_TOKEN): boolean {
  if (!token) return true;
  const presented = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1]?.trim() ?? '';
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
