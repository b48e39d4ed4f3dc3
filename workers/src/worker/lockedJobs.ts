/**
 * Jobs a worker pool still holds in graphile's queue (its `locked_by` is the pool id, which is our
 * Worker row's id), and what to do with them when that pool is gone.
 */
import type { PrismaClient } from '@guidance-lab/db';
import type { WorkerUtils } from 'graphile-worker';

export interface LockedJob {
  id: string;
  key: string | null;
  attempts: number;
  max_attempts: number;
}

export function lockedJobs(prisma: PrismaClient, poolId: string): Promise<LockedJob[]> {
  return prisma.$queryRaw<LockedJob[]>`
    SELECT id::text AS id, key, attempts, max_attempts FROM graphile_worker.jobs WHERE locked_by = ${poolId}`;
}

/**
 * After our own pool has stopped: graphile can lose the completion of a job that ended during its
 * shutdown, leaving it locked by a pool that no longer exists. Our handlers have already left the
 * rows right, so unlock what is left (handlers are idempotent if one runs again) and delete the
 * ones graphile would never run again (a job requeued at shutdown is one: its key moved on).
 */
export async function releaseLeftoverJobs(prisma: PrismaClient, utils: WorkerUtils, poolId: string): Promise<void> {
  const left = await lockedJobs(prisma, poolId);
  if (left.length === 0) return;
  await utils.forceUnlockWorkers([poolId]);
  const spent = left.filter((job) => job.attempts >= job.max_attempts);
  if (spent.length) await utils.completeJobs(spent.map((job) => job.id));
}
