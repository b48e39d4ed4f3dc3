/**
 * Task `train_model` {modelId}: train one content-addressed model, persisting every checkpoint so a
 * crashed or killed attempt resumes where it stopped; on success, schedule the work it unblocks.
 */
import { scheduleReadyWork } from '@guidance-lab/db';
import { dataRootFromEnv, type ModelConfig } from '@guidance-lab/experiments';
import type { JobHelpers, Task } from 'graphile-worker';
import { trainModel } from '../engine/pipeline';
import { bytes, curveJson } from './dbValues';
import { guardJob } from './guardJob';
import { payloadId } from './payload';
import { throttledWriter } from './progressWriter';
import { failModel, markSweepsStarted } from './sweepStatus';
import { LostClaimError, type WorkerContext } from './types';

const PROGRESS_EVERY_MS = 500;

function plannedSteps(config: ModelConfig): number {
  const steps = config.kind === 'eps' ? config.training?.steps : config.classifier?.steps;
  if (steps === undefined) throw new Error(`model config of kind ${config.kind} has no ${config.kind === 'eps' ? 'training' : 'classifier'}.steps`);
  return steps;
}

/** Sweeps that still want this model (a cancelled sweep does not; a deleted one is gone). */
async function activeSweepIds(ctx: WorkerContext, modelId: string): Promise<string[]> {
  const links = await ctx.prisma.sweepModel.findMany({ where: { modelId, sweep: { status: { not: 'cancelled' } } }, select: { sweepId: true } });
  return links.map((l) => l.sweepId);
}

async function scheduleFor(ctx: WorkerContext, helpers: JobHelpers, sweepIds: string[]): Promise<void> {
  for (const sweepId of sweepIds) await scheduleReadyWork(ctx.prisma, helpers.addJob, sweepId);
}

export function trainModelTask(ctx: WorkerContext): Task {
  return async (payload, helpers) => {
    const modelId = payloadId(payload, 'modelId');
    const { prisma } = ctx;
    const model = await prisma.model.findUnique({ where: { id: modelId } });
    if (!model) return ctx.log(`train ${modelId}: model no longer exists`);
    const label = `train:${model.key}`;
    const sweepIds = await activeSweepIds(ctx, modelId);
    if (model.status === 'succeeded') return scheduleFor(ctx, helpers, sweepIds); // a repeated job: nothing to train
    if (sweepIds.length === 0) return ctx.log(`${label}: no active sweep needs it`);

    const config = model.config as unknown as ModelConfig;
    const totalSteps = plannedSteps(config);
    // Claim the row. Only queued work runs: a running model belongs to a live worker (a dead one's
    // is reclaimed to queued), and failed or cancelled ones wait for retryFailed or a new launch.
    const claim = await prisma.model.updateMany({
      where: { id: modelId, status: 'queued' },
      data: { status: 'running', attempts: { increment: 1 }, workerId: ctx.workerId, startedAt: new Date(), finishedAt: null, error: null, totalSteps },
    });
    if (claim.count === 0) return ctx.log(`${label}: not queued (${model.status}); nothing to do`);

    // Ours while it carries our id: the API may mark it cancelled meanwhile; a reclaim clears the id.
    const owned = { id: modelId, workerId: ctx.workerId };
    const writeOwned = async (data: Parameters<typeof prisma.model.updateMany>[0]['data']) => {
      const { count } = await prisma.model.updateMany({ where: owned, data });
      if (count === 0) throw new LostClaimError(label);
    };

    await guardJob(ctx, helpers, {
      label,
      isCancelled: async () => (await activeSweepIds(ctx, modelId)).length === 0,
      async work(signal) {
        await markSweepsStarted(prisma, sweepIds);
        ctx.log(model.checkpoint ? `${label}: resuming from checkpoint at step ${model.checkpointStep}` : `${label}: training from scratch`);
        // Never backwards: a throttled write may land after the checkpoint write that followed it.
        const progress = throttledWriter((done: number) => prisma.model.updateMany({ where: { ...owned, step: { lt: done } }, data: { step: done } }), PROGRESS_EVERY_MS, ctx.log);
        const result = await trainModel(config, {
          resume: model.checkpoint,
          dataRoot: dataRootFromEnv(),
          signal,
          onProgress: (p) => progress.push(p.done),
          onCheckpoint: (checkpoint, step, curve) => writeOwned({ checkpoint: bytes(checkpoint), checkpointStep: step, step, curve: curveJson(curve) }),
        }).finally(() => progress.close());
        await writeOwned({
          status: 'succeeded',
          checkpoint: bytes(result.checkpoint),
          checkpointStep: totalSteps,
          step: totalSteps,
          weightsHash: result.weightsHash,
          curve: curveJson(result.curve),
          backend: result.backend,
          finishedAt: new Date(),
        });
        ctx.log(`${label}: trained (${result.backend}, weights ${result.weightsHash})`);
        await scheduleFor(ctx, helpers, await activeSweepIds(ctx, modelId));
      },
      async onCancelled() {
        await prisma.model.updateMany({ where: owned, data: { status: 'cancelled', workerId: null } });
      },
      async onFailed(message, final) {
        if (final) await failModel(prisma, modelId, ctx.workerId, message);
        // Only while running: a model that succeeded before a later step failed stays succeeded.
        else await prisma.model.updateMany({ where: { ...owned, status: 'running' }, data: { status: 'queued', error: message, workerId: null } });
      },
    });
  };
}
