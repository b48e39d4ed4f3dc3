/**
 * A worker killed without warning (SIGKILL, power loss) leaves its graphile jobs locked and its
 * Model/Run rows "running". Any live worker frees them once the dead one's heartbeat is stale;
 * training then resumes from the last stored checkpoint. A Worker row's id is its graphile pool's
 * id (see index.ts), the `locked_by` of every job it held.
 *
 * A live worker can strand a job too: one that ended while the database was away keeps our lock,
 * because graphile could not record its end. Our heartbeat renews only the jobs running here, so
 * such a lock ages, and releaseOrphanedJobs hands the job back once it is as stale as a dead worker's.
 */
import { scheduleReadyWork } from '@guidance-lab/db';
import type { WorkerUtils } from 'graphile-worker';
import { attemptLimit } from './guardJob';
import { lockedJobs, type LockedJob } from './lockedJobs';
import { failModel, failRun } from './sweepStatus';
import type { WorkerContext } from './types';

/** A job key's kind and row id: `train:<modelId>` / `run:<runId>` / `rescore:<rescoreId>` (@guidance-lab/db's trainJobKey, runJobKey, rescoreJobKey). */
function splitJobKey(key: string): { kind: string; id: string } {
  const colon = key.indexOf(':');
  return { kind: key.slice(0, colon), id: key.slice(colon + 1) };
}

/** What a running row becomes when its job goes back to the queue (its worker died, or its end was lost). */
const REQUEUED = {
  model: { status: 'queued', workerId: null },
  run: { status: 'queued', workerId: null, phase: 'waiting', progress: 0 },
  rescore: { status: 'queued', workerId: null },
} as const;

async function failForGood(ctx: WorkerContext, key: string, owner: string, message: string): Promise<void> {
  const { kind, id } = splitJobKey(key);
  if (kind === 'train') await failModel(ctx.prisma, id, owner, message);
  else if (kind === 'run') await failRun(ctx.prisma, id, owner, message);
  else if (kind === 'rescore') await ctx.prisma.rescore.updateMany({ where: { id, workerId: owner }, data: { status: 'failed', error: message, workerId: null, finishedAt: new Date() } });
}

/** The key's row back to the queue if it is still running under `owner` (a job that ended without a record). */
async function putBack(ctx: WorkerContext, key: string, owner: string): Promise<void> {
  const { kind, id } = splitJobKey(key);
  const where = { id, workerId: owner, status: 'running' as const };
  if (kind === 'train') await ctx.prisma.model.updateMany({ where, data: REQUEUED.model });
  else if (kind === 'run') await ctx.prisma.run.updateMany({ where, data: REQUEUED.run });
  else if (kind === 'rescore') await ctx.prisma.rescore.updateMany({ where, data: REQUEUED.rescore });
}

/**
 * Our own locks that are not of a job running here (`running`: graphile job ids) and have not been
 * renewed for the staleness threshold: their jobs ended while the database was away. They go back
 * to the queue (a job on its last attempt fails for good, as a dead worker's would). Returns their keys.
 */
export async function releaseOrphanedJobs(ctx: WorkerContext, utils: WorkerUtils, running: readonly string[]): Promise<string[]> {
  const { prisma } = ctx;
  const stale = ctx.settings.staleMs / 1000;
  const orphans = await prisma.$queryRaw<LockedJob[]>`
    SELECT job.id::text AS id, job.key, job.attempts, job.max_attempts FROM graphile_worker.jobs job JOIN "Worker" me ON me.id = ${ctx.workerId}
    WHERE job.locked_by = me.id AND NOT (job.id::text = ANY(${[...running]}::text[]))
      AND job.locked_at < (me."lastHeartbeat" AT TIME ZONE 'UTC') - make_interval(secs => ${stale})`;
  if (orphans.length === 0) return [];
  const exhausted = orphans.filter((job) => job.attempts >= attemptLimit(ctx, job.max_attempts));
  for (const job of orphans) {
    if (!job.key) continue;
    if (exhausted.includes(job)) await failForGood(ctx, job.key, ctx.workerId, 'the job ended while the database was unreachable, on its last attempt');
    else await putBack(ctx, job.key, ctx.workerId);
  }
  const ids = orphans.map((job) => job.id);
  await prisma.$executeRaw`
    UPDATE graphile_worker._private_jobs SET locked_by = NULL, locked_at = NULL WHERE locked_by = ${ctx.workerId} AND id::text = ANY(${ids}::text[])`;
  if (exhausted.length) await utils.completeJobs(exhausted.map((job) => job.id));
  // A row whose job was completed above, or never claimed, is queued: it needs a job again.
  await scheduleReadyWork(prisma, utils.addJob);
  return orphans.map((job) => job.key ?? job.id);
}

/** Returns the ids of the workers it reclaimed. */
export async function reclaimDeadWorkers(ctx: WorkerContext, utils: WorkerUtils): Promise<string[]> {
  const { prisma } = ctx;
  // Measured against our own last beat, not the clock: after the database was away for a while
  // every heartbeat is old, and a worker that has not beaten again yet is not dead. Database time
  // on both sides (heartbeat.ts writes it), whatever the machines' clocks say.
  // Also a pool that locked a job but never registered its row: a worker that died while starting
  // (its first job can begin before its first beat). Its lock is as old as its silence.
  const stale = ctx.settings.staleMs / 1000;
  const dead = await prisma.$queryRaw<{ id: string }[]>`
    SELECT other.id FROM "Worker" other JOIN "Worker" me ON me.id = ${ctx.workerId}
    WHERE other.id <> me.id AND other."lastHeartbeat" < me."lastHeartbeat" - make_interval(secs => ${stale})
    UNION
    SELECT DISTINCT job.locked_by FROM graphile_worker.jobs job JOIN "Worker" me ON me.id = ${ctx.workerId}
    WHERE job.locked_by <> me.id AND job.locked_at < (me."lastHeartbeat" AT TIME ZONE 'UTC') - make_interval(secs => ${stale})
      AND NOT EXISTS (SELECT 1 FROM "Worker" w WHERE w.id = job.locked_by)`;
  for (const { id } of dead) {
    const locked = await lockedJobs(prisma, id);
    // The attempt that died counts: a job that kills its worker every time must not loop forever.
    const exhausted = locked.filter((job) => job.attempts >= attemptLimit(ctx, job.max_attempts));
    for (const job of exhausted) {
      if (job.key) await failForGood(ctx, job.key, id, `the worker ${id} died during the last attempt`);
    }
    // Rows before jobs: a job unlocked while its row still says "running" would be skipped as
    // someone else's. The Worker row goes last so a crash half-way is redone on the next pass.
    await prisma.$transaction([
      prisma.model.updateMany({ where: { workerId: id, status: 'running' }, data: REQUEUED.model }),
      prisma.run.updateMany({ where: { workerId: id, status: 'running' }, data: REQUEUED.run }),
      prisma.rescore.updateMany({ where: { workerId: id, status: 'running' }, data: REQUEUED.rescore }),
    ]);
    await utils.forceUnlockWorkers([id]);
    if (exhausted.length) await utils.completeJobs(exhausted.map((job) => job.id));
    await prisma.worker.deleteMany({ where: { id } });
  }
  // A queued row can have lost its job: graphile hands a job locked for over 4 hours to another
  // worker, which finds the row running and completes the job without work (see lockedJobs.ts).
  if (dead.length) await scheduleReadyWork(prisma, utils.addJob);
  return dead.map((w) => w.id);
}
