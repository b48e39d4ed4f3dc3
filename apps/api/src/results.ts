/**
 * A sweep's scored runs in the engine's results.json shape (experiments/src/results.ts), so the
 * same scripts read a CLI sweep and a platform sweep.
 */
import { readFileSync } from 'node:fs';
import type { PrismaClient } from '@guidance-lab/db';
import { sortRuns, type GuidanceType, type ResultRun, type ResultsFile, type SweepSpec } from '@guidance-lab/experiments';
import { scoresOf, underEvaluator } from './metrics';
import { gridPath } from './urls';

/** The engine is the workers package; its version labels every export. */
const ENGINE_VERSION: string = JSON.parse(readFileSync(new URL('../../../workers/package.json', import.meta.url), 'utf8')).version;

/** Size of the reference set, from its label, e.g. "mnist:test:2000" → 2000. */
const referenceN = (referenceSet: string) => Number(/(\d+)$/.exec(referenceSet)?.[1] ?? 0);

/** null when the sweep does not exist. Runs not yet fully scored are left out; scores are each run's own evaluator's. */
export async function sweepResults(prisma: PrismaClient, sweepId: string, baseUrl: string): Promise<ResultsFile | null> {
  const sweep = await prisma.sweep.findUnique({
    where: { id: sweepId },
    include: { runs: { where: { status: 'succeeded' }, include: { metrics: true, grid: { select: { id: true } }, evaluatorModel: { select: { weightsHash: true } } } } },
  });
  if (!sweep) return null;
  const scored = sweep.runs.map((r) => ({ ...r, metrics: underEvaluator(r.metrics, r.evaluatorModel.weightsHash) }));
  const runs: ResultRun[] = [];
  for (const r of scored) {
    const s = scoresOf(r.metrics);
    if (s.fid === null || s.is === null || s.isStd === null || s.kid === null || s.precision === null || s.recall === null || s.adherence === null) continue;
    runs.push({
      guidance: r.guidance as GuidanceType,
      pUncond: r.pUncond,
      scale: r.scale,
      seed: r.seed,
      sampler: r.sampler as ResultRun['sampler'],
      steps: r.steps,
      eta: r.eta,
      n: r.n ?? r.metrics[0].n,
      metrics: { fid: s.fid, is: s.is, isStd: s.isStd, kid: s.kid, precision: s.precision, recall: s.recall, adherence: s.adherence },
      grid: r.grid ? baseUrl + gridPath(r.id) : '',
    });
  }
  const metric = scored.flatMap((r) => r.metrics)[0];
  return {
    spec: sweep.spec as SweepSpec,
    backend: [...new Set(sweep.runs.map((r) => r.backend).filter(Boolean))].join(',') || 'unknown',
    engineVersion: ENGINE_VERSION,
    evaluator: { hash: metric?.evaluatorHash ?? '', referenceN: metric ? referenceN(metric.referenceSet) : 0 },
    runs: sortRuns(runs),
  };
}
