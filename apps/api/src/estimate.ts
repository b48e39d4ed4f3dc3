/**
 * What a sweep will take on this deployment, before it is launched: the grid's counts, the models
 * already trained (by content hash: reused, they cost nothing) and a time from the throughput this
 * deployment's workers reached on recent trainings and runs of the same kind of data, or the
 * bench's figures when it has none yet.
 */
import { BENCH_THROUGHPUT, dataKind, knownClasses, runEvals, sweepCost, trainingWork, type DataKind, type SweepCost, type Throughput } from '@guidance-lab/experiments/cost';
import { expandSweep, parseSpec, type ModelConfig, type SweepSpec } from '@guidance-lab/experiments';
import type { MethodId } from '@guidance-lab/experiments';
import type { ApiContext } from './context';
import { badInput, specInput } from './errors';

/** How many recent trainings and runs the throughput is averaged over. */
const RECENT = 20;

export interface Measured {
  throughput: Throughput;
  trainings: number;
  runs: number;
}

const seconds = (from: Date | null, to: Date | null) => (from && to ? (to.getTime() - from.getTime()) / 1000 : 0);

/** Throughput of this deployment's recent work on `kind` data; a part with nothing measured keeps the bench's figure. */
export async function measuredThroughput(ctx: ApiContext, kind: DataKind): Promise<Measured> {
  const models = await ctx.prisma.model.findMany({
    where: { status: 'succeeded', startedAt: { not: null }, finishedAt: { not: null } },
    orderBy: { finishedAt: 'desc' },
    take: RECENT * 5,
    select: { config: true, startedAt: true, finishedAt: true },
  });
  const trainings = models.filter((m) => dataKind((m.config as unknown as ModelConfig).dataset) === kind && seconds(m.startedAt, m.finishedAt) > 0).slice(0, RECENT);
  const runs = (
    await ctx.prisma.run.findMany({
      where: { status: 'succeeded', durationMs: { gt: 0 } },
      orderBy: { finishedAt: 'desc' },
      take: RECENT * 5,
      select: { method: true, samplesPerClass: true, steps: true, durationMs: true, sweep: { select: { spec: true } } },
    })
  )
    .filter((r) => dataKind((r.sweep.spec as SweepSpec).dataset) === kind)
    .slice(0, RECENT);

  const bench = BENCH_THROUGHPUT[kind];
  const trainSeconds = trainings.reduce((sum, m) => sum + seconds(m.startedAt, m.finishedAt), 0);
  const examples = trainings.reduce((sum, m) => sum + trainingWork(m.config as unknown as ModelConfig).epsEquivalent, 0);
  const runSeconds = runs.reduce((sum, r) => sum + r.durationMs! / 1000, 0);
  const evals = runs.reduce((sum, r) => sum + runEvals({ ...r, method: r.method as MethodId }, knownClasses((r.sweep.spec as SweepSpec).dataset)), 0);
  return {
    throughput: { train: trainings.length ? examples / trainSeconds : bench.train, forward: runs.length ? evals / runSeconds : bench.forward },
    trainings: trainings.length,
    runs: runs.length,
  };
}

export interface Estimate extends SweepCost {
  basis: string;
}

export async function estimate(ctx: ApiContext, input: unknown): Promise<Estimate> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw badInput('spec', 'must be a JSON object (a sweep spec)');
  const spec = specInput('spec', () => parseSpec(input));
  const plan = expandSweep(spec);
  const trained = await ctx.prisma.model.findMany({ where: { key: { in: plan.models.map((m) => m.key) }, status: 'succeeded' }, select: { key: true } });
  const measured = await measuredThroughput(ctx, dataKind(spec.dataset));
  const parts = [
    measured.trainings ? `training as fast as its ${measured.trainings} latest training${measured.trainings > 1 ? 's' : ''}` : 'training at the bench figures',
    measured.runs ? `sampling as fast as its ${measured.runs} latest run${measured.runs > 1 ? 's' : ''}` : 'sampling at the bench figures',
  ];
  const basis =
    measured.trainings || measured.runs ? `this deployment's speed: ${parts.join(', ')}` : 'the bench figures for a 2-core CPU (nothing of this kind has run here yet)';
  return { ...sweepCost(spec, plan, measured.throughput, new Set(trained.map((m) => m.key))), basis };
}
