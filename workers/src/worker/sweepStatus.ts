/**
 * What the worker does to sweep, model and run statuses beyond its own row: sweeps start when
 * their first model trains, and a model or run that fails for good takes the waiting runs and the
 * sweep's status with it (sweeps then follow @guidance-lab/db's refreshSweepStatus).
 */
import { refreshSweepStatus, type PrismaClient } from '@guidance-lab/db';

/** Queued sweeps whose work has begun become running. */
export async function markSweepsStarted(prisma: PrismaClient, sweepIds: string[]): Promise<void> {
  await prisma.sweep.updateMany({ where: { id: { in: sweepIds }, status: 'queued' }, data: { status: 'running', startedAt: new Date() } });
}

/** A model `owner` was training failed for good: so do the runs waiting on it. */
export async function failModel(prisma: PrismaClient, modelId: string, owner: string, message: string): Promise<void> {
  const { count } = await prisma.model.updateMany({
    where: { id: modelId, workerId: owner, status: 'running' }, // a model that succeeded stays so
    data: { status: 'failed', error: message, workerId: null, finishedAt: new Date() },
  });
  if (count === 0) return;
  const model = await prisma.model.findUniqueOrThrow({ where: { id: modelId }, select: { kind: true, key: true } });
  const uses = { OR: [{ epsModelId: modelId }, { classifierModelId: modelId }, { guideModelId: modelId }, { evaluatorModelId: modelId }] };
  const where = { ...uses, status: 'queued' as const, sweep: { status: { not: 'cancelled' as const } } };
  const runs = await prisma.run.findMany({ where, select: { sweepId: true } });
  await prisma.run.updateMany({ where, data: { status: 'failed', phase: 'failed', error: `the ${model.kind} model ${model.key} failed to train: ${message}`, finishedAt: new Date() } });
  for (const sweepId of new Set(runs.map((r) => r.sweepId))) await refreshSweepStatus(prisma, sweepId);
}

/** A run `owner` was scoring failed for good. */
export async function failRun(prisma: PrismaClient, runId: string, owner: string, message: string): Promise<void> {
  const run = await prisma.run.findUnique({ where: { id: runId }, select: { sweepId: true } });
  const { count } = await prisma.run.updateMany({
    where: { id: runId, workerId: owner, status: 'running' }, // a run whose result is stored stays so
    data: { status: 'failed', phase: 'failed', error: message, workerId: null, finishedAt: new Date() },
  });
  if (count > 0 && run) await refreshSweepStatus(prisma, run.sweepId);
}
