/**
 * A run's or model's job in graphile-worker's queue, read-only: its attempts so far and the attempts
 * the queue allows, so a failing job can say "attempt 2 of 3". Keyed by the job keys of
 * prisma/src/jobs.ts; a job that succeeded has left the queue (null).
 */
import type { ApiContext } from './context';
import { perTurn } from './perTurn';

export interface QueueJob {
  attempts: number;
  maxAttempts: number;
}

export const queueJob = perTurn<QueueJob>(async (ctx: ApiContext, keys: string[]) => {
  const rows = await ctx.prisma.$queryRaw<{ key: string; attempts: number; max_attempts: number }[]>`
    SELECT key, attempts, max_attempts FROM graphile_worker.jobs WHERE key = ANY(${keys}::text[])`;
  return new Map(rows.map((r) => [r.key, { attempts: r.attempts, maxAttempts: r.max_attempts }]));
});
