/**
 * Launching: spec → validated spec → grid (experiments) → one transaction that stores the sweep,
 * reuses models by content hash, links them and creates the runs → the ready work is queued.
 */
import { ACTIVE, removeJobs, scheduleReadyWork, trainJobKey, type ModelKind, type Sweep } from '@guidance-lab/db';
import { expandSweep, parseSpec, SpecError, type ModelConfig, type SweepPlan, type SweepSpec } from '@guidance-lab/experiments';
import type { ApiContext } from './context';
import { badInput, specInputError } from './errors';
import type { Limits } from './limits';

/** Classes a dataset has, where the spec alone tells; user data is counted as 10 (MNIST-like). */
function classesOf(spec: SweepSpec): number {
  return spec.dataset.kind === 'toy2d' ? spec.dataset.classes : 10;
}

function checkLimits(spec: SweepSpec, plan: SweepPlan, limits: Limits): void {
  const runs = plan.runs.length;
  if (runs > limits.maxRuns) {
    throw badInput('(grid)', `expands to ${runs} runs (methods × parameters × pUncond × scales × seeds), more than GUIDANCE_MAX_RUNS = ${limits.maxRuns}`, {
      limit: 'GUIDANCE_MAX_RUNS',
    });
  }
  const samples = runs * classesOf(spec) * spec.samplesPerClass;
  if (samples > limits.maxSamples) {
    throw badInput('samplesPerClass', `makes ${samples} samples in all (runs × classes × samplesPerClass), more than GUIDANCE_MAX_SAMPLES = ${limits.maxSamples}`, {
      limit: 'GUIDANCE_MAX_SAMPLES',
    });
  }
}

const dbKind = (kind: ModelConfig['kind']): ModelKind => (kind === 'noisy-classifier' ? 'noisy_classifier' : kind);
const plannedSteps = (c: ModelConfig) => (c.kind === 'eps' ? c.training!.steps : c.classifier!.steps);

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
        const model = await tx.model.upsert({
          where: { key },
          create: { key, kind: dbKind(config.kind), config: config as object, totalSteps: plannedSteps(config) },
          update: {},
          select: { id: true, status: true },
        });
        // A model that failed or was cancelled before is wanted again: train it again (attempts kept).
        if (!ACTIVE.includes(model.status) && model.status !== 'succeeded') {
          await tx.model.update({ where: { id: model.id }, data: { status: 'queued', error: null, finishedAt: null } });
          requeued.push(model.id);
        }
        ids.set(key, model.id);
      }
      await tx.sweepModel.createMany({ data: [...ids.values()].map((modelId) => ({ sweepId: sweep.id, modelId })) });
      await tx.run.createMany({
        data: plan.runs.map((r) => ({
          sweepId: sweep.id,
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
      return { sweep, requeued };
    },
    { timeout: 60_000 },
  );
  // Their dead jobs would otherwise hold the job keys (scheduleReadyWork dedupes on them).
  await removeJobs(ctx.prisma, requeued.map(trainJobKey));
  await scheduleReadyWork(ctx.prisma, ctx.jobs.addJob, sweep.id);
  return sweep;
}
