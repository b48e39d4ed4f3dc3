/** Query.samples: a page of a run's stored samples, filtered by class, with an evaluator's verdict on each. */
import type { ApiContext } from './context';
import { badInput, checkId, notFound } from './errors';
import { isImageSet, storedPredictions, storedRun } from './sampleStore';
import { samplePngPath } from './urls';

export interface SamplePageArgs {
  runId: string;
  class?: number | null;
  offset: number;
  limit: number;
  evaluatorHash?: string | null;
}

export const MAX_PAGE = 500;

export async function samplePage(ctx: ApiContext, args: SamplePageArgs) {
  const { runId, offset, limit } = args;
  checkId('runId', runId, 'run');
  if (!Number.isInteger(offset) || offset < 0) throw badInput('offset', 'must be a whole number of at least 0');
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw badInput('limit', `must be a whole number from 1 to ${MAX_PAGE}`);
  const stored = await storedRun(ctx.prisma, runId);
  if (!stored) {
    if (!(await ctx.prisma.run.findUnique({ where: { id: runId }, select: { id: true } }))) throw notFound('run', runId, 'runId');
    throw notFound('samples of run', runId, 'runId');
  }
  const { samples, classNames } = stored;
  const cls = args.class;
  if (cls != null && (!Number.isInteger(cls) || cls < 0 || cls >= classNames.length)) throw badInput('class', `must be a whole number from 0 to ${classNames.length - 1}`);
  const predictions = await storedPredictions(ctx.prisma, runId, args.evaluatorHash ?? null);
  const indices: number[] = [];
  samples.y.forEach((label, i) => (cls == null || label === cls) && indices.push(i));
  const image = isImageSet(samples);
  const dim = samples.shape.reduce((a, b) => a * b, 1);
  return {
    runId,
    total: indices.length,
    offset,
    classNames,
    evaluatorHash: predictions?.evaluatorHash ?? null,
    shape: samples.shape,
    items: indices.slice(offset, offset + limit).map((index) => ({
      index,
      label: samples.y[index],
      className: classNames[samples.y[index]],
      predicted: predictions ? predictions.predicted[index] : null,
      confidence: predictions ? predictions.confidence[index] : null,
      imageUrl: image ? ctx.baseUrl + samplePngPath(runId, index) : null,
      point: image ? null : Array.from(samples.x.subarray(index * dim, (index + 1) * dim)),
    })),
  };
}
