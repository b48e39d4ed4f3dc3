/**
 * Launching: spec → validated spec → grid (experiments) → one transaction that stores the sweep,
 * reuses models by content hash, links them and creates the runs → the ready work is queued.
 */
import { ACTIVE, removeJobs, scheduleReadyWork, trainJobKey, type ModelKind, type Sweep } from '@guidance-lab/db';
import { datasetClasses, expandSweep, parseSpec, sampleStoreEstimate, SpecError, type ModelConfig, type SweepPlan, type SweepSpec } from '@guidance-lab/experiments';
import type { ApiContext } from './context';
import { badInput, specInputError } from './errors';
import type { Limits } from './limits';

function checkLimits(spec: SweepSpec, plan: SweepPlan, limits: Limits): void {
  const runs = plan.runs.length;
  if (runs > limits.maxRuns) {
    throw badInput('(grid)', `expands to ${runs} runs (guidance × pUncond × scales × seeds), more than GUIDANCE_MAX_RUNS = ${limits.maxRuns}`, {
      limit: 'GUIDANCE_MAX_RUNS',
    });
  }
  const samples = runs * datasetClasses(spec.dataset) * spec.samplesPerClass;
  if (samples > limits.maxSamples) {
    throw badInput('samplesPerClass', `makes ${samples} samples in all (runs × classes × samplesPerClass), more than GUIDANCE_MAX_SAMPLES = ${limits.maxSamples}`, {
      limit: 'GUIDANCE_MAX_SAMPLES',
    });
  }
  // Every sample is kept in the database: refuse up front what would not fit the cap.
  const store = sampleStoreEstimate(spec, runs);
  if (store.bytes > limits.maxSampleBytes) {
    throw badInput(
      'samplesPerClass',
      `would store ${store.bytes} bytes of samples (${store.runs} runs × ${store.samplesPerRun} samples × ${store.bytesPerSample} bytes, uncompressed), more than GUIDANCE_MAX_SAMPLE_BYTES = ${limits.maxSampleBytes}`,
      { limit: 'GUIDANCE_MAX_SAMPLE_BYTES' },
    );
  }
}

const dbKind = (kind: ModelConfig['kind']): ModelKind => (kind === 'noisy-classifier' ? 'noisy_classifier' : kind);
const plannedSteps = (c: ModelConfig) => (c.kind === 'eps' ? c.training!.steps : c.classifier!.steps);

type Tx = Parameters<Parameters<ApiContext['prisma']['$transaction']>[0]>[0];

/** A model by content hash, created when new; one that failed or was cancelled before is wanted again and requeued (attempts kept). */
export async function upsertModel(tx: Tx, key: string, config: ModelConfig): Promise<{ id: string; requeued: boolean }> {
  const model = await tx.model.upsert({
    where: { key },
    create: { key, kind: dbKind(config.kind), config: config as object, totalSteps: plannedSteps(config) },
    update: {},
    select: { id: true, status: true },
  });
  if (ACTIVE.includes(model.status) || model.status === 'succeeded') return { id: model.id, requeued: false };
  await tx.model.update({ where: { id: model.id }, data: { status: 'queued', error: null, finishedAt: null } });
  return { id: model.id, requeued: true };
}

export interface LaunchOptions {
  /** Overrides spec.name. */
  name?: string | null;
  preset?: string;
  /** The GraphQL argument the spec came from, named in errors. */
  argument: 'spec' | 'overrides';
}

export async function launch(ctx: ApiContext, input: unknown, options: LaunchOptions): Promise<Sweep> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw badInput(options.argument, 'must be a JSON object (a sweep spec)');
  }
  let spec: SweepSpec;
  try {
    spec = parseSpec(options.name == null ? input : { ...input, name: options.name });
  } catch (error) {
    if (error instanceof SpecError) throw specInputError(error, options.argument);
    throw error;
  }
  const plan = expandSweep(spec);
  checkLimits(spec, plan, ctx.limits);

  const { sweep, requeued } = await ctx.prisma.$transaction(
    async (tx) => {
      const sweep = await tx.sweep.create({ data: { name: spec.name, preset: options.preset, spec } });
      const ids = new Map<string, string>();
      const requeued: string[] = [];
      for (const { key, config } of plan.models) {
        const model = await upsertModel(tx, key, config);
        if (model.requeued) requeued.push(model.id);
        ids.set(key, model.id);
      }
      await tx.sweepModel.createMany({ data: [...ids.values()].map((modelId) => ({ sweepId: sweep.id, modelId })) });
      await tx.run.createMany({
        data: plan.runs.map((r) => ({
          sweepId: sweep.id,
          key: r.key,
          guidance: r.guidance,
          pUncond: r.pUncond,
          scale: r.scale,
          seed: r.seed,
          sampler: r.sampler.kind,
          steps: r.sampler.steps,
          eta: r.sampler.eta,
          samplesPerClass: r.samplesPerClass,
          epsModelId: ids.get(r.epsModel)!,
          classifierModelId: r.classifierModel === null ? null : ids.get(r.classifierModel)!,
          evaluatorModelId: ids.get(r.evaluatorModel)!,
        })),
      });
      return { sweep, requeued };
    },
    { timeout: 60_000 },
  );
  // Their dead jobs would otherwise hold the job keys (scheduleReadyWork dedupes on them).
  await removeJobs(ctx.prisma, requeued.map(trainJobKey));
  await scheduleReadyWork(ctx.prisma, ctx.jobs.addJob, sweep.id);
  return sweep;
}
