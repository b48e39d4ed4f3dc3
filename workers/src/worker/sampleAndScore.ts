/**
 * Task `sample_and_score` {runId}: sample one grid point with its trained models, score the samples,
 * and store metrics, predictions, grid, every sample and status in ONE transaction with upserts on
 * the unique keys, so a job that runs twice still leaves one result.
 */
import { packSamples, refreshSweepStatus, type Model, type Run } from '@guidance-lab/db';
import { dataRootFromEnv, METHOD_IDS, parseSpec, SamplerSpec, type MethodId, type MethodParams, type SweepSpec } from '@guidance-lab/experiments';
import type { Task } from 'graphile-worker';
import { sampleAndScore, type RunSettings } from '../engine/pipeline';
import { bytes } from './dbValues';
import { guardJob } from './guardJob';
import { payloadId } from './payload';
import { throttledWriter } from './progressWriter';
import { scoreWrites } from './scoreWrites';
import { failRun, markSweepsStarted } from './sweepStatus';
import type { WorkerContext } from './types';

const PROGRESS_EVERY_MS = 500;

/** The checkpoint of a model the run needs; a model that is not trained is a clear error, not a crash. */
function trainedWeights(model: Model | null, role: string): Uint8Array {
  if (!model || model.status !== 'succeeded' || !model.checkpoint) {
    throw new Error(`the ${role} model ${model?.key ?? '(missing)'} is not trained (status ${model?.status ?? 'missing'})`);
  }
  return model.checkpoint;
}

/** The Run row's columns as the pipeline's typed settings; a value the spec would refuse is an error naming it. */
function runSettings(run: Run, sampler: SweepSpec['sampler']): RunSettings {
  if (!(METHOD_IDS as readonly string[]).includes(run.method)) {
    throw new Error(`run.method must be one of ${METHOD_IDS.join(', ')} (got "${run.method}")`);
  }
  return {
    method: run.method as MethodId,
    methodParams: run.methodParams as MethodParams,
    pUncond: run.pUncond,
    scale: run.scale,
    seed: run.seed,
    // The spec's sampler options beyond the row's columns (dynamic thresholding) apply to every run.
    sampler: SamplerSpec.parse({ ...sampler, kind: run.sampler, steps: run.steps, eta: run.eta }),
    samplesPerClass: run.samplesPerClass,
  };
}

export function sampleAndScoreTask(ctx: WorkerContext): Task {
  return async (payload, helpers) => {
    const runId = payloadId(payload, 'runId');
    const { prisma } = ctx;
    const run = await prisma.run.findUnique({ where: { id: runId }, include: { sweep: true } });
    if (!run) return ctx.log(`run ${runId}: no longer exists`);
    const label = `run:${runId}`;
    if (run.sweep.status === 'cancelled') return ctx.log(`${label}: sweep cancelled`);

    const startedAt = new Date();
    // Claim the row. Only queued work runs: a running run belongs to a live worker (a dead one's is
    // reclaimed to queued), and a failed one waits for retryFailed.
    const claim = await prisma.run.updateMany({
      where: { id: runId, status: 'queued' },
      data: { status: 'running', attempts: { increment: 1 }, workerId: ctx.workerId, startedAt, finishedAt: null, error: null, phase: 'loading', progress: 0 },
    });
    if (claim.count === 0) {
      // A job repeated after its run's result was stored but before the sweep's status followed.
      if (run.status === 'succeeded') await refreshSweepStatus(prisma, run.sweepId);
      return ctx.log(`${label}: not queued (${run.status}); nothing to do`);
    }
    // Ours while it carries our id: the API may mark it cancelled meanwhile; a reclaim clears the id.
    const owned = { id: runId, workerId: ctx.workerId };

    await guardJob(ctx, helpers, {
      label,
      isCancelled: async () => {
        const sweep = await prisma.sweep.findUnique({ where: { id: run.sweepId }, select: { status: true } });
        return !sweep || sweep.status === 'cancelled';
      },
      async work(signal) {
        await markSweepsStarted(prisma, [run.sweepId]);
        const spec = parseSpec(run.sweep.spec);
        const byId = async (id: string | null) => (id ? prisma.model.findUnique({ where: { id } }) : null);
        const [eps, classifier, guide, evaluator] = await Promise.all([byId(run.epsModelId), byId(run.classifierModelId), byId(run.guideModelId), byId(run.evaluatorModelId)]);
        const models = {
          eps: trainedWeights(eps, 'eps'),
          classifier: run.classifierModelId ? trainedWeights(classifier, 'noisy classifier') : null,
          guide: run.guideModelId ? trainedWeights(guide, 'autoguidance guide') : null,
          evaluator: trainedWeights(evaluator, 'evaluator'),
        };
        const progress = throttledWriter(
          (p: { phase: string; fraction: number }) => prisma.run.updateMany({ where: owned, data: { phase: p.phase, progress: p.fraction } }),
          PROGRESS_EVERY_MS,
          ctx.log,
        );
        const result = await sampleAndScore(runSettings(run, spec.sampler), { dataset: spec.dataset, schedule: spec.schedule }, models, {
          signal,
          dataRoot: dataRootFromEnv(),
          onProgress: (p) => progress.push({ phase: p.phase, fraction: p.total > 0 ? p.done / p.total : 0 }),
        }).finally(() => progress.close());

        const { metrics: m, n, grid } = result;
        const gridRow = { png: bytes(grid.png), rows: grid.rows, cols: grid.cols, cellSize: grid.cellSize, classNames: grid.classNames };
        const samplesRow = packSamples(result.samples);
        const finishedAt = new Date();
        await prisma.$transaction([
          ...scoreWrites(prisma, runId, result),
          prisma.runSamples.upsert({ where: { runId }, create: { runId, ...samplesRow }, update: samplesRow }),
          prisma.sampleGrid.upsert({ where: { runId }, create: { runId, ...gridRow }, update: gridRow }),
          prisma.run.update({
            where: { id: runId },
            data: {
              status: 'succeeded', phase: 'done', progress: 1, n, backend: result.backend, finishedAt, durationMs: finishedAt.getTime() - startedAt.getTime(), error: null,
            },
          }),
        ]);
        ctx.log(`${label}: ${run.method} s=${run.scale} p=${run.pUncond} → fid ${m.fid.toFixed(4)} is ${m.is.toFixed(3)} (n=${n}, ${result.backend})`);
        await refreshSweepStatus(prisma, run.sweepId);
      },
      async onCancelled() {
        await prisma.run.updateMany({ where: owned, data: { status: 'cancelled', phase: 'cancelled', workerId: null, finishedAt: new Date() } });
      },
      async onFailed(message, final) {
        if (final) await failRun(prisma, runId, ctx.workerId, message);
        // Only while running: a run whose result is stored stays succeeded if refreshing the sweep failed.
        else await prisma.run.updateMany({ where: { ...owned, status: 'running' }, data: { status: 'queued', phase: 'waiting', error: message, workerId: null } });
      },
    });
  };
}
