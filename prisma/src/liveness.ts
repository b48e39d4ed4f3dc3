/**
 * When a worker counts as dead: one definition for the API (which shows workers as alive or not)
 * and the workers (which reclaim a dead one's jobs). A worker beats every HEARTBEAT_MS on its own
 * thread; one silent for STALE_MS is dead, so its jobs are back in the queue within about
 * STALE_MS + 2 × HEARTBEAT_MS. Both can be changed with GUIDANCE_HEARTBEAT_MS / GUIDANCE_STALE_MS,
 * which must then be the same on every machine.
 */
import { envInt } from './env';

export const DEFAULT_HEARTBEAT_MS = 1000;
export const DEFAULT_STALE_MS = 10_000;

const MS = 'a whole number of milliseconds';

export interface Liveness {
  heartbeatMs: number;
  staleMs: number;
}

/** The heartbeat period and the staleness threshold, from the environment; refused when they cannot work together. */
export function readLiveness(): Liveness {
  const heartbeatMs = envInt('GUIDANCE_HEARTBEAT_MS', DEFAULT_HEARTBEAT_MS, 100, 600_000, MS);
  const staleMs = envInt('GUIDANCE_STALE_MS', DEFAULT_STALE_MS, 500, 86_400_000, MS);
  if (staleMs <= 2 * heartbeatMs) {
    throw new Error(`GUIDANCE_STALE_MS (${staleMs}) must be more than twice GUIDANCE_HEARTBEAT_MS (${heartbeatMs})`);
  }
  return { heartbeatMs, staleMs };
}
