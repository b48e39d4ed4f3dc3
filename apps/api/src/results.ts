/**
 * A sweep's scored runs in the engine's results.json shape (experiments/src/results.ts), so the
 * same scripts read a CLI sweep and a platform sweep.
 */
import { readFileSync } from 'node:fs';
import type { PrismaClient } from '@guidance-lab/db';
import { aggregateRuns, isReliable, METRIC_KEYS, sortRuns, type GuidanceType, type MethodId, type MethodParams, type ResultRun, type ResultsFile, type RunMetrics, type SweepSpec } from '@guidance-lab/experiments';
import { scoresOf, underEvaluator } from './metrics';
import { gridPath } from './urls';

/** The engine is the workers package; its version labels every export. */
const ENGINE_VERSION: string = JSON.parse(readFileSync(new URL('../../../workers/package.json', import.meta.url), 'utf8')).version;

/** Size of the reference set, from its label, e.g. "mnist:test-half:1000" → 1000. */
const referenceN = (referenceSet: string) => Number(/(\d+)$/.exec(referenceSet)?.[1] ?? 0);

/** null when the sweep does not exist. Runs not yet fully scored are left out; scores are each run's own evaluator's. */
export async function sweepResults(prisma: PrismaClient, sweepId: string, baseUrl: string): Promise<ResultsFile | null> {
  const sweep = await prisma.sweep.findUnique({
    where: { id: sweepId },
    include: { runs: { where: { status: 'succeeded' }, include: { metrics: true, evaluations: true, grid: { select: { id: true } }, evaluatorModel: { select: { weightsHash: true } } } } },
  });
  if (!sweep) return null;
  const scored = sweep.runs.map((r) => ({ ...r, metrics: underEvaluator(r.metrics, r.evaluatorModel.weightsHash) }));
  const runs: ResultRun[] = [];
  for (const r of scored) {
    const s = scoresOf(r.metrics);
    if (METRIC_KEYS.some((k) => s[k] === null)) continue;
    runs.push({
      guidance: r.guidance as GuidanceType,
      method: r.method as MethodId,
      methodParams: r.methodParams as MethodParams,
      pUncond: r.pUncond,
      scale: r.scale,
      seed: r.seed,
      sampler: r.sampler as ResultRun['sampler'],
      steps: r.steps,
      eta: r.eta,
      n: r.n ?? r.metrics[0].n,
      metrics: Object.fromEntries(METRIC_KEYS.map((k) => [k, s[k]])) as unknown as RunMetrics,
      grid: r.grid ? baseUrl + gridPath(r.id) : '',
    });
  }
  const metric = scored.flatMap((r) => r.metrics)[0];
  // One evaluator and one N per sweep: any scored run carries the sweep's verdict and floor (its own evaluator's).
  const judged = sweep.runs.flatMap((r) => underEvaluator(r.evaluations, r.evaluatorModel.weightsHash))[0];
  const floor = (judged?.floor ?? null) as { n: number; metrics: RunMetrics } | null;
  const accuracy = judged?.accuracy ?? 0;
  const attainable = judged?.attainable ?? 1;
  return {
    spec: sweep.spec as SweepSpec,
    backend: [...new Set(sweep.runs.map((r) => r.backend).filter(Boolean))].join(',') || 'unknown',
    engineVersion: ENGINE_VERSION,
    evaluator: {
      hash: metric?.evaluatorHash ?? '',
      referenceN: metric ? referenceN(metric.referenceSet) : 0,
      accuracy,
      attainable,
      reliable: judged !== undefined && isReliable(accuracy, attainable),
      floorN: floor?.n ?? 0,
    },
    floor: floor?.metrics ?? (Object.fromEntries(METRIC_KEYS.map((k) => [k, null])) as unknown as RunMetrics),
    runs: sortRuns(runs),
    aggregates: aggregateRuns(runs),
  };
}
