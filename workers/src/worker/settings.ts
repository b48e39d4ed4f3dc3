/** The worker's tunables, read once from the environment; a bad value is refused with its range. */
import { envInt, readLiveness } from '@guidance-lab/db';

export interface WorkerSettings {
  /** How often the Worker row's lastHeartbeat is refreshed (and dead workers looked for): @guidance-lab/db's readLiveness. */
  heartbeatMs: number;
  /** A worker whose heartbeat is older than this is presumed dead and its jobs are reclaimed. */
  staleMs: number;
  /** Attempts a job gets before its model/run is marked failed (graphile's own limit may be lower). */
  maxAttempts: number;
  /** How often a running job re-reads its sweep's status to notice a cancellation. */
  cancelPollMs: number;
  /** graphile-worker's poll for jobs whose run_at has come (retries with back-off). */
  pollIntervalMs: number;
}

export function readSettings(): WorkerSettings {
  return {
    ...readLiveness(),
    maxAttempts: envInt('GUIDANCE_MAX_ATTEMPTS', 5, 1, 25),
    cancelPollMs: envInt('GUIDANCE_CANCEL_POLL_MS', 1000, 50, 60_000),
    pollIntervalMs: envInt('GUIDANCE_POLL_MS', 1000, 50, 60_000),
  };
}
