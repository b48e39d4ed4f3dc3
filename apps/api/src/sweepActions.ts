/**
 * Cancel, retry, resume and delete. The database status is the truth workers poll; queued graphile jobs
 * are removed by key so nothing stale starts, and models shared with other sweeps are left alone.
 */
import { ACTIVE, refreshSweepStatus, removeJobs, runJobKey, scheduleReadyWork, trainJobKey, type Sweep } from '@guidance-lab/db';
import type { ApiContext } from './context';
import { badInput, checkId, notFound } from './errors';

export async function findSweep(ctx: ApiContext, id: string, field = 'id'): Promise<Sweep> {
  checkId(field, id, 'sweep');
  const sweep = await ctx.prisma.sweep.findUnique({ where: { id } });
  if (!sweep) throw notFound('sweep', id, field);
  return sweep;
}

/** The sweep's models linked to no other sweep (counting only other sweeps in `otherSweepStatuses`, when given). */
async function modelsOnlyThisSweepNeeds(ctx: ApiContext, id: string, otherSweepStatuses?: Sweep['status'][]): Promise<string[]> {
  const models = await ctx.prisma.model.findMany({
    where: {
      sweeps: {
        some: { sweepId: id },
        none: { sweepId: { not: id }, ...(otherSweepStatuses ? { sweep: { status: { in: otherSweepStatuses } } } : {}) },
      },
    },
    select: { id: true },
  });
  return models.map((m) => m.id);
}

export async function cancelSweep(ctx: ApiContext, id: string): Promise<Sweep> {
  const sweep = await findSweep(ctx, id);
  if (!ACTIVE.includes(sweep.status)) return sweep; // already ended: nothing to stop
  const runs = await ctx.prisma.run.findMany({ where: { sweepId: id, status: { in: ACTIVE } }, select: { id: true } });
  // Training another active sweep needs carries on.
  const alone = await modelsOnlyThisSweepNeeds(ctx, id, ACTIVE);
  const now = new Date();
  const [, models, cancelled] = await ctx.prisma.$transaction([
    ctx.prisma.run.updateMany({ where: { id: { in: runs.map((r) => r.id) }, status: { in: ACTIVE } }, data: { status: 'cancelled', finishedAt: now } }),
    ctx.prisma.model.updateManyAndReturn({
      where: { id: { in: alone }, status: { in: ACTIVE } },
      data: { status: 'cancelled', finishedAt: now },
      select: { id: true },
    }),
    ctx.prisma.sweep.update({ where: { id }, data: { status: 'cancelled', finishedAt: now } }),
  ]);
  await removeJobs(ctx.prisma, [...runs.map((r) => runJobKey(r.id)), ...models.map((m) => trainJobKey(m.id))]);
  return cancelled;
}

/**
 * Puts a sweep's runs and models in `status` back in the queue (attempt counts are kept; trained
 * models are reused, a cancelled training resumes from its last checkpoint).
 */
async function requeue(ctx: ApiContext, sweep: Sweep, status: 'failed' | 'cancelled'): Promise<Sweep> {
  const id = sweep.id;
  const runs = await ctx.prisma.run.findMany({ where: { sweepId: id, status }, select: { id: true } });
  const models = await ctx.prisma.model.findMany({ where: { status, sweeps: { some: { sweepId: id } } }, select: { id: true } });
  if (!runs.length && !models.length && sweep.status !== 'cancelled') return sweep;
  const anyDone = (await ctx.prisma.run.count({ where: { sweepId: id, status: 'succeeded' } })) > 0;
  const [, , requeued] = await ctx.prisma.$transaction([
    ctx.prisma.run.updateMany({
      where: { id: { in: runs.map((r) => r.id) } },
      data: { status: 'queued', error: null, phase: 'waiting', progress: 0, finishedAt: null, workerId: null },
    }),
    ctx.prisma.model.updateMany({ where: { id: { in: models.map((m) => m.id) } }, data: { status: 'queued', error: null, finishedAt: null, workerId: null } }),
    ctx.prisma.sweep.update({ where: { id }, data: { status: anyDone ? 'running' : 'queued', error: null, finishedAt: null } }),
  ]);
  // Ended jobs may still hold their keys; free them so the new jobs are not deduplicated away.
  await removeJobs(ctx.prisma, [...runs.map((r) => runJobKey(r.id)), ...models.map((m) => trainJobKey(m.id))]);
  await scheduleReadyWork(ctx.prisma, ctx.jobs.addJob, id);
  // A sweep whose every run had ended before the cancel is finished again, not waiting.
  if (!runs.length) await refreshSweepStatus(ctx.prisma, id);
  return runs.length ? requeued : findSweep(ctx, id);
}

export async function retryFailed(ctx: ApiContext, id: string): Promise<Sweep> {
  const sweep = await findSweep(ctx, id);
  if (sweep.status === 'cancelled') throw badInput('id', `names a cancelled sweep (${id}); resume it with resumeSweep`);
  return requeue(ctx, sweep, 'failed');
}

/** Resumes a cancelled sweep: its unfinished runs and models are queued again. */
export async function resumeSweep(ctx: ApiContext, id: string): Promise<Sweep> {
  const sweep = await findSweep(ctx, id);
  if (sweep.status !== 'cancelled') throw badInput('id', `names a sweep that is ${sweep.status}, not cancelled (${id}); only a cancelled sweep can be resumed`);
  return requeue(ctx, sweep, 'cancelled');
}

export async function deleteSweep(ctx: ApiContext, id: string): Promise<string> {
  await findSweep(ctx, id);
  const runs = await ctx.prisma.run.findMany({ where: { sweepId: id }, select: { id: true } });
  const orphans = await modelsOnlyThisSweepNeeds(ctx, id);
  await removeJobs(ctx.prisma, [...runs.map((r) => runJobKey(r.id)), ...orphans.map(trainJobKey)]);
  // Runs, metrics, grids and links go by cascade; then the models no other sweep links to.
  await ctx.prisma.$transaction([ctx.prisma.sweep.delete({ where: { id } }), ctx.prisma.model.deleteMany({ where: { id: { in: orphans }, sweeps: { none: {} } } })]);
  return id;
}
