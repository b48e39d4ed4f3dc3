/**
 * Deep links: every selection on a page lives in its query string, so a copied URL reopens it.
 * Values equal to their default are left out to keep links short.
 */
export function withParams(current: URLSearchParams | string, changes: Record<string, string | number | null | undefined>): string {
  const params = new URLSearchParams(typeof current === 'string' ? current : current.toString());
  for (const [key, value] of Object.entries(changes)) {
    if (value === null || value === undefined || value === '') params.delete(key);
    else params.set(key, String(value));
  }
  const query = params.toString();
  return query ? `?${query}` : '';
}

/** A whole number from the query string, or `fallback` when absent or malformed. */
export function intParam(params: URLSearchParams, key: string, fallback: number): number {
  const raw = params.get(key);
  const value = raw === null ? NaN : Number(raw);
  return Number.isInteger(value) ? value : fallback;
}

/** One of `allowed` from the query string, or `fallback`. */
export function choiceParam<T extends string>(params: URLSearchParams, key: string, allowed: readonly T[], fallback: T): T {
  const raw = params.get(key);
  return raw !== null && (allowed as readonly string[]).includes(raw) ? (raw as T) : fallback;
}
