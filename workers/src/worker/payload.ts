/** Job payloads are JSON from the queue: check the one id each task needs before trusting it. */
export function payloadId(payload: unknown, field: 'modelId' | 'runId' | 'rescoreId'): string {
  const value = payload && typeof payload === 'object' ? (payload as Record<string, unknown>)[field] : undefined;
  if (typeof value !== 'string' || value === '') throw new Error(`job payload.${field} must be a non-empty string id (got ${JSON.stringify(payload)})`);
  return value;
}
