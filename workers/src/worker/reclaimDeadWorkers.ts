/**
 * A worker killed without warning (SIGKILL, power loss) leaves its graphile jobs locked and its
 * Model/Run rows "running". Any live worker frees them once the dead one's heartbeat is stale;
 * training then resumes from the last stored checkpoint. A Worker row's id is its graphile pool's
 * id (see index.ts), the `locked_by` of every job it held.
 */
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
  // Database time on both sides of the comparison (heartbeat.ts writes it), whatever our clock says.
  const dead = await prisma.$queryRaw<{ id: string }[]>`
    SELECT id FROM "Worker"
    WHERE "lastHeartbeat" < (now() AT TIME ZONE 'UTC') - make_interval(secs => ${ctx.settings.staleMs / 1000}) AND id <> ${ctx.workerId}`;
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
  return dead.map((w) => w.id);
}
