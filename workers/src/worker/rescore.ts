/**
 * Task `rescore_run` {rescoreId}: score a run's stored samples again with an evaluator model (the
 * run's own, or another that rescoreSweep asked for), without sampling; the scores are stored under
 * that evaluator's hash beside the ones already there.
 */
import { unpackSamples } from '@guidance-lab/db';
import { parseSpec } from '@guidance-lab/experiments';
import type { Task } from 'graphile-worker';
import { rescoreSamples } from '../engine/pipeline';
import { guardJob } from './guardJob';
import { payloadId } from './payload';
import { scoreWrites } from './scoreWrites';
import type { WorkerContext } from './types';

export function rescoreTask(ctx: WorkerContext): Task {
  return async (payload, helpers) => {
    const rescoreId = payloadId(payload, 'rescoreId');
    const { prisma } = ctx;
    const label = `rescore:${rescoreId}`;
    const claim = await prisma.rescore.updateMany({
      where: { id: rescoreId, status: 'queued' },
      data: { status: 'running', attempts: { increment: 1 }, workerId: ctx.workerId, startedAt: new Date(), finishedAt: null, error: null },
    });
    if (claim.count === 0) return ctx.log(`${label}: not queued (gone, or another worker's); nothing to do`);
    const owned = { id: rescoreId, workerId: ctx.workerId };

    await guardJob(ctx, helpers, {
      label,
      isCancelled: async () => !(await prisma.rescore.findUnique({ where: { id: rescoreId }, select: { id: true } })),
      async work() {
        const rescore = await prisma.rescore.findUniqueOrThrow({
          where: { id: rescoreId },
          include: { run: { include: { sweep: { select: { spec: true } }, samples: true } }, evaluatorModel: true },
        });
        const { run, evaluatorModel } = rescore;
        if (!run.samples) throw new Error(`run ${run.id} has no stored samples to re-score (it was sampled before samples were kept)`);
        if (evaluatorModel.status !== 'succeeded' || !evaluatorModel.checkpoint) throw new Error(`the evaluator model ${evaluatorModel.key} is not trained`);
        const spec = parseSpec(run.sweep.spec);
        const scores = await rescoreSamples(unpackSamples(run.samples), spec.dataset, evaluatorModel.checkpoint);
        await prisma.$transaction([
          ...scoreWrites(prisma, run.id, scores),
          prisma.rescore.update({ where: { id: rescoreId }, data: { status: 'succeeded', workerId: null, finishedAt: new Date() } }),
        ]);
        ctx.log(`${label}: run ${run.id} with evaluator ${scores.evaluatorHash.slice(0, 12)} → fid ${scores.metrics.fid.toFixed(4)} (${scores.backend})`);
      },
      async onCancelled() {},
      async onFailed(message, final) {
        await prisma.rescore.updateMany({ where: owned, data: { status: final ? 'failed' : 'queued', error: message, workerId: null, finishedAt: final ? new Date() : null } });
      },
    });
  };
}
