/** Types shared by the worker's parts: the context every job handler runs in. */
import type { PrismaClient } from '@guidance-lab/db';
import type { WorkerSettings } from './settings';

export interface WorkerContext {
  prisma: PrismaClient;
  /** Our Worker row's id; Model/Run rows we claim carry it in `workerId`. */
  workerId: string;
  settings: WorkerSettings;
  /** Marks a job ("train:<model key>", "run:<run id>") as running here or done; the heartbeat shows it. */
  setJobActive(label: string, active: boolean): void;
  log: (message: string) => void;
}

/**
 * Thrown when a row we were working on is no longer ours: our heartbeat looked stale, another
 * worker reclaimed the job, and whatever we would still write could race its result.
 */
export class LostClaimError extends Error {
  constructor(label: string) {
    super(`${label}: this worker no longer owns the job (reclaimed after a stale heartbeat)`);
    this.name = 'LostClaimError';
  }
}
