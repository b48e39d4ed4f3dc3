/**
 * Launching: spec → validated spec → grid (experiments) → one transaction that stores the sweep,
 * reuses models by content hash, links them and creates the runs → the ready work is queued.
 */
import { ACTIVE, removeJobs, scheduleReadyWork, trainJobKey, type ModelKind, type Sweep } from '@guidance-lab/db';
import { admitSpec, dataRootFromEnv, datasetClasses, expandSweep, parseSpec, sampleStoreEstimate, type ModelConfig, type SweepPlan, type SweepSpec } from '@guidance-lab/experiments';
import type { ApiContext } from './context';
import { badInput, specInput } from './errors';
import type { Limits } from './limits';

function checkLimits(spec: SweepSpec, plan: SweepPlan, limits: Limits): void {
  const runs = plan.runs.length;
  if (runs > limits.maxRuns) {
    throw badInput('(grid)', `expands to ${runs} runs (methods × parameters × pUncond × scales × seeds), more than GUIDANCE_MAX_RUNS = ${limits.maxRuns}`, {
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

/** A spec as the API admits it: validated, paths and compute checked, grid expanded and within the limits. */
export function admit(ctx: ApiContext, input: unknown, argument: string): { spec: SweepSpec; plan: SweepPlan } {
  const spec = specInput(argument, () => {
    const parsed = parseSpec(input);
    // Paths are checked on the API's machine: workers elsewhere need the same files under their own GUIDANCE_DATA_DIR.
    admitSpec(parsed, { dataRoot: dataRootFromEnv(), maxCompute: ctx.limits.maxCompute });
    return parsed;
  });
  const plan = expandSweep(spec);
  checkLimits(spec, plan, ctx.limits);
  return { spec, plan };
}

/**
 * Stores the plan's models (reused by content hash) and links them to the sweep, and creates the
 * runs whose keys are not in `existingRuns`. Returns the models requeued (failed or cancelled before).
 */
export async function storePlan(tx: Tx, sweepId: string, plan: SweepPlan, existingRuns: ReadonlySet<string> = new Set()): Promise<string[]> {
  const ids = new Map<string, string>();
  const requeued: string[] = [];
  for (const { key, config } of plan.models) {
    const model = await upsertModel(tx, key, config);
    if (model.requeued) requeued.push(model.id);
    ids.set(key, model.id);
  }
  await tx.sweepModel.createMany({ data: [...ids.values()].map((modelId) => ({ sweepId, modelId })), skipDuplicates: true });
  await tx.run.createMany({
    data: plan.runs
      .filter((r) => !existingRuns.has(r.key))
      .map((r) => ({
        sweepId,
        key: r.key,
        guidance: r.guidance,
        method: r.method,
        methodParams: r.methodParams as object,
        pUncond: r.pUncond,
        scale: r.scale,
        seed: r.seed,
        sampler: r.sampler.kind,
        steps: r.sampler.steps,
        eta: r.sampler.eta,
        samplesPerClass: r.samplesPerClass,
        epsModelId: ids.get(r.epsModel)!,
        classifierModelId: r.classifierModel === null ? null : ids.get(r.classifierModel)!,
        guideModelId: r.guideModel === null ? null : ids.get(r.guideModel)!,
        evaluatorModelId: ids.get(r.evaluatorModel)!,
      })),
  });
  return requeued;
}

/** Queues what is ready; requeued models' dead jobs would otherwise hold their job keys (scheduleReadyWork dedupes on them). */
export async function queueWork(ctx: ApiContext, sweepId: string, requeued: string[]): Promise<void> {
  await removeJobs(ctx.prisma, requeued.map(trainJobKey));
  await scheduleReadyWork(ctx.prisma, ctx.jobs.addJob, sweepId);
}

export async function launch(ctx: ApiContext, input: unknown, options: LaunchOptions): Promise<Sweep> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw badInput(options.argument, 'must be a JSON object (a sweep spec)');
  }
  const { spec, plan } = admit(ctx, options.name == null ? input : { ...input, name: options.name }, options.argument);
  const { sweep, requeued } = await ctx.prisma.$transaction(
    async (tx) => {
      const sweep = await tx.sweep.create({ data: { name: spec.name, preset: options.preset, spec } });
      return { sweep, requeued: await storePlan(tx, sweep.id, plan) };
    },
    { timeout: 60_000 },
  );
  await queueWork(ctx, sweep.id, requeued);
  return sweep;
}
