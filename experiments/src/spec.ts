/**
 * The sweep spec: the one description of an experiment that the CLI, the API, the worker and the
 * dashboard share. Every bound is stated once here and every error names the field and the range.
 */
import { z } from 'zod';

const int = (min: number, max: number) =>
  z
    .number({ error: `must be a whole number from ${min} to ${max}` })
    .int({ error: `must be a whole number from ${min} to ${max}` })
    .min(min, { error: `must be a whole number from ${min} to ${max}` })
    .max(max, { error: `must be a whole number from ${min} to ${max}` });

const real = (min: number, max: number) =>
  z
    .number({ error: `must be a number from ${min} to ${max}` })
    .min(min, { error: `must be a number from ${min} to ${max}` })
    .max(max, { error: `must be a number from ${min} to ${max}` });

const list = <T extends z.ZodType>(item: T, max: number) =>
  z
    .array(item)
    .min(1, { error: `must list at least one value (at most ${max})` })
    .max(max, { error: `must list at most ${max} values` });

export const GUIDANCE_TYPES = ['none', 'classifier', 'classifier-free'] as const;
export type GuidanceType = (typeof GUIDANCE_TYPES)[number];

export const DatasetSpec = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('toy2d'),
      /** Number of classes K. */
      classes: int(2, 10).default(4),
      /** Gaussian modes inside each class (each class is itself multi-modal). */
      modesPerClass: int(1, 8).default(3),
      trainSize: int(200, 200_000).default(8000),
      testSize: int(200, 50_000).default(2000),
      /** Seed of the mixture's layout and of the drawn points. */
      seed: int(0, 2 ** 31 - 1).default(0),
    }),
    z.strictObject({
      kind: z.literal('mnist'),
      /** Held-out images per class (the metrics' reference set); the rest train. */
      testPerClass: int(10, 800).default(200),
      seed: int(0, 2 ** 31 - 1).default(0),
    }),
    z.strictObject({
      kind: z.literal('idx'),
      images: z.string().min(1, { error: 'must be the path of an IDX images file' }),
      labels: z.string().min(1, { error: 'must be the path of an IDX labels file' }),
      testFraction: real(0.05, 0.5).default(0.2),
      seed: int(0, 2 ** 31 - 1).default(0),
    }),
    z.strictObject({
      kind: z.literal('folder'),
      /** A folder with one sub-folder of PNG images per class. */
      path: z.string().min(1, { error: 'must be the path of a folder with one sub-folder per class' }),
      size: int(8, 64).default(28),
      testFraction: real(0.05, 0.5).default(0.2),
      seed: int(0, 2 ** 31 - 1).default(0),
    }),
  ],
  { error: 'must be one of: toy2d, mnist, idx, folder' },
);
export type DatasetSpec = z.infer<typeof DatasetSpec>;

export const ScheduleSpec = z.strictObject({
  kind: z.enum(['linear', 'cosine'], { error: 'must be linear or cosine' }).default('linear'),
  /** Training timesteps T (DDPM: 1000). */
  T: int(50, 4000).default(1000),
});

/** The ε-network: an MLP for 2-D data, a U-Net for images. Unused fields are ignored. */
export const ModelSpec = z.strictObject({
  /** MLP hidden width (toy2d). */
  hidden: int(16, 1024).default(128),
  /** MLP residual blocks (toy2d). */
  depth: int(1, 8).default(3),
  /** U-Net channels per resolution level (images); each level after the first halves the resolution. */
  channels: list(int(4, 256), 4).default([32, 64, 64]),
  /** Residual blocks per U-Net level. */
  blocksPerLevel: int(1, 3).default(1),
});

/**
 * The learning-rate schedule of a training run: linear warm-up over `warmupSteps`, then constant or a
 * cosine decay to 0 at the last step. Both are optional without defaults, so specs that leave them
 * out keep their content hashes (and their trained models).
 */
const learningRateSchedule = {
  warmupSteps: int(0, 1_000_000).optional(),
  lrDecay: z.enum(['constant', 'cosine'], { error: 'must be constant or cosine' }).optional(),
};

export const TrainingSpec = z.strictObject({
  steps: int(1, 1_000_000).default(4000),
  batchSize: int(1, 1024).default(256),
  learningRate: real(1e-6, 1e-1).default(1e-3),
  /** EMA decay of the ε-net's weights used for sampling. */
  emaDecay: real(0, 0.99999).default(0.999),
  checkpointEvery: int(1, 1_000_000).default(500),
  ...learningRateSchedule,
});

/** A classifier (the noise-aware one for guidance, or the clean evaluator). */
export const ClassifierSpec = z.strictObject({
  hidden: int(16, 1024).default(128),
  depth: int(1, 8).default(3),
  channels: list(int(4, 256), 4).default([32, 64]),
  steps: int(1, 1_000_000).default(3000),
  batchSize: int(1, 1024).default(256),
  learningRate: real(1e-6, 1e-1).default(1e-3),
  ...learningRateSchedule,
});

export const SamplerSpec = z.strictObject({
  kind: z.enum(['ddpm', 'ddim'], { error: 'must be ddpm or ddim' }).default('ddim'),
  /** Respaced sampling steps S (≤ T). */
  steps: int(1, 4000).default(50),
  /** DDIM η: 0 deterministic, 1 ancestral-like. Ignored by ddpm. */
  eta: real(0, 1).default(0),
});

export const SweepSpec = z
  .strictObject({
    name: z.string().min(1, { error: 'must not be empty' }).max(200, { error: 'must be at most 200 characters' }).default('sweep'),
    description: z.string().max(4000, { error: 'must be at most 4000 characters' }).optional(),
    dataset: DatasetSpec,
    schedule: ScheduleSpec.default({ kind: 'linear', T: 1000 }),
    model: ModelSpec.default({ hidden: 128, depth: 3, channels: [32, 64, 64], blocksPerLevel: 1 }),
    training: TrainingSpec.default({ steps: 4000, batchSize: 256, learningRate: 1e-3, emaDecay: 0.999, checkpointEvery: 500 }),
    /** The noise-aware classifier trained on x_t for classifier guidance. */
    classifier: ClassifierSpec.default({ hidden: 128, depth: 3, channels: [32, 64], steps: 3000, batchSize: 256, learningRate: 1e-3 }),
    /** The separate clean classifier whose features and softmax score every sample. */
    evaluator: ClassifierSpec.default({ hidden: 128, depth: 3, channels: [32, 64], steps: 3000, batchSize: 256, learningRate: 1e-3 }),
    guidance: list(z.enum(GUIDANCE_TYPES, { error: `must be one of: ${GUIDANCE_TYPES.join(', ')}` }), 3),
    /** Guidance scale s (GLIDE form): CFG s = 1 + w; classifier guidance multiplies ∇log f by s. */
    scales: list(real(0, 100), 64),
    /** Condition-dropout probabilities for the classifier-free (and unguided) ε-nets. */
    pUncond: list(real(0, 1), 16).default([0.1]),
    /** Condition dropout of the ε-net that classifier guidance steers: 1 = unconditional (Dhariwal & Nichol Table 4, top). */
    classifierGuidedPUncond: real(0, 1).default(1),
    seeds: list(int(0, 2 ** 31 - 1), 32).default([0]),
    samplesPerClass: int(1, 10_000).default(100),
    sampler: SamplerSpec.default({ kind: 'ddim', steps: 50, eta: 0 }),
  })
  .superRefine((spec, ctx) => {
    if (spec.sampler.steps > spec.schedule.T && spec.sampler.steps <= 4000) {
      ctx.addIssue({
        code: 'custom',
        path: ['sampler', 'steps'],
        message: `must be a whole number from 1 to schedule.T (${spec.schedule.T})`,
      });
    }
    const dupes = (xs: number[]) => xs.length !== new Set(xs).size;
    if (dupes(spec.scales)) ctx.addIssue({ code: 'custom', path: ['scales'], message: 'must not repeat a value' });
    if (dupes(spec.pUncond)) ctx.addIssue({ code: 'custom', path: ['pUncond'], message: 'must not repeat a value' });
    if (dupes(spec.seeds)) ctx.addIssue({ code: 'custom', path: ['seeds'], message: 'must not repeat a value' });
    if (spec.guidance.includes('classifier-free') && spec.pUncond.every((p) => p === 0 || p === 1)) {
      ctx.addIssue({
        code: 'custom',
        path: ['pUncond'],
        message: 'classifier-free guidance needs a model trained with both branches: list a value strictly between 0 and 1',
      });
    }
  });

/** A spec as a user writes it (defaults may be left out). */
export type SweepSpecInput = z.input<typeof SweepSpec>;
/** A validated spec with every default filled in. */
export type SweepSpec = z.output<typeof SweepSpec>;

/** One problem in a spec: the dotted field path and what is allowed there. */
export interface SpecIssue {
  field: string;
  message: string;
}

export class SpecError extends Error {
  constructor(readonly issues: SpecIssue[]) {
    super(`invalid sweep spec: ${issues.map((i) => `${i.field} ${i.message}`).join('; ')}`);
    this.name = 'SpecError';
  }
}

/** Validates and fills defaults; throws SpecError naming every bad field. */
export function parseSpec(input: unknown): SweepSpec {
  const result = SweepSpec.safeParse(input);
  if (result.success) return result.data;
  throw new SpecError(
    result.error.issues.map((issue) => ({
      field: issue.path.length ? issue.path.join('.') : '(spec)',
      message: issue.code === 'unrecognized_keys' ? `has unknown field(s): ${issue.keys.join(', ')}` : issue.message,
    })),
  );
}
