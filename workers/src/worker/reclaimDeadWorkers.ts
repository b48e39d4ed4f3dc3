/**
 * A worker killed without warning (SIGKILL, power loss) leaves its graphile jobs locked and its
 * Model/Run rows "running". Any live worker frees them once the dead one's heartbeat is stale;
 * training then resumes from the last stored checkpoint. A Worker row's id is its graphile pool's
 * id (see index.ts), the `locked_by` of every job it held.
 */
import { scheduleReadyWork } from '@guidance-lab/db';
import type { WorkerUtils } from 'graphile-worker';
import { attemptLimit } from './guardJob';
import { lockedJobs } from './lockedJobs';
import { failModel, failRun } from './sweepStatus';
import type { WorkerContext } from './types';

/** Job keys are `train:<modelId>` / `run:<runId>` / `rescore:<rescoreId>` (@guidance-lab/db's trainJobKey, runJobKey, rescoreJobKey). */
async function failForGood(ctx: WorkerContext, key: string, owner: string, message: string): Promise<void> {
  const [kind, id] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
  if (kind === 'train') await failModel(ctx.prisma, id, owner, message);
  else if (kind === 'run') await failRun(ctx.prisma, id, owner, message);
  else if (kind === 'rescore') await ctx.prisma.rescore.updateMany({ where: { id, workerId: owner }, data: { status: 'failed', error: message, workerId: null, finishedAt: new Date() } });
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
      prisma.model.updateMany({ where: { workerId: id, status: 'running' }, data: { status: 'queued', workerId: null } }),
      prisma.run.updateMany({ where: { workerId: id, status: 'running' }, data: { status: 'queued', workerId: null, phase: 'waiting', progress: 0 } }),
      prisma.rescore.updateMany({ where: { workerId: id, status: 'running' }, data: { status: 'queued', workerId: null } }),
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
