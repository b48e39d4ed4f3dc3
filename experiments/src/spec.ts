/**
 * The sweep spec: the one description of an experiment that the CLI, the API, the worker and the
 * dashboard share. Every bound is stated once here and every error names the field and the range.
 */
import { z } from 'zod';
import { canonicalJson } from './canonical';
import { MethodSpec, NEEDS_UNCONDITIONAL } from './methods';

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

/** Text stored in PostgreSQL, which cannot hold a NUL character in text or JSON. */
const text = (required: string) =>
  z
    .string({ error: required })
    .min(1, { error: required })
    .refine((v) => !v.includes('\0'), { error: 'must not contain NUL characters (\\u0000)' });

/** The splits Inception Score is averaged over: a run must draw at least this many samples. */
export const IS_SPLITS = 10;

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
      /** Paths are relative to the data root, GUIDANCE_DATA_DIR (experiments/src/dataRoot.ts). */
      images: text('must be the path of an IDX images file in the data root'),
      labels: text('must be the path of an IDX labels file in the data root'),
      testFraction: real(0.05, 0.5).default(0.2),
      seed: int(0, 2 ** 31 - 1).default(0),
    }),
    z.strictObject({
      kind: z.literal('folder'),
      /** A folder with one sub-folder of PNG images per class. */
      path: text('must be the path of a folder in the data root with one sub-folder per class'),
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

/**
 * Images: the network's first level runs on p×p patches as pixels, so its convolutions cost 1/p² as
 * much per channel pair. Optional without a default, so specs that leave it out keep their content hashes.
 */
const patch = z.literal([1, 2, 4], { error: 'must be 1, 2 or 4' }).optional();

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
  /** Images: the U-Net's first level runs on p×p patches (space-to-depth in, pixel shuffle out). */
  patch,
  /**
   * Images: a learned feature map per label (and one for ∅), added after the U-Net's first
   * convolution, so the class's layout reaches every position at once (scale-shift conditioning gives
   * each channel one number). Optional without a default, like `patch`.
   */
  classMap: z.boolean({ error: 'must be true or false' }).optional(),
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
  /**
   * Min-SNR-γ loss weighting (Hang et al. 2023): each sample's ε-loss is weighted by
   * min(SNR_t, γ)/SNR_t, so the many low-noise steps stop dominating the gradient. Optional without
   * a default (absent: the plain ε-loss), so existing specs keep their content hashes.
   */
  minSnrGamma: real(0.1, 1000).optional(),
  /**
   * Truncated-SNR floor λ (Salimans & Ho 2022 use λ = 1): the loss's weight in x₀ terms is kept at
   * least λ, so the high-noise steps, where the ε-loss hardly sees x₀ (and so the class), weigh
   * λ/SNR_t instead of 1. Needs `maxLossWeight`, since λ/SNR_t grows without bound as t → T.
   */
  snrFloor: real(0.01, 100).optional(),
  /** The largest per-sample weight of the ε-loss under `snrFloor` (the last steps' bound). */
  maxLossWeight: real(1, 10000).optional(),
}).superRefine((training, ctx) => {
  if ((training.snrFloor === undefined) !== (training.maxLossWeight === undefined)) {
    const missing = training.snrFloor === undefined ? 'snrFloor' : 'maxLossWeight';
    ctx.addIssue({ code: 'custom', path: [missing], message: 'must be given with training.snrFloor and training.maxLossWeight together: the floor λ/SNR_t grows without bound as t → T' });
  }
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
  /** Images: the conv trunk's first level runs on p×p patches (space-to-depth in). */
  patch,
});

export const SamplerSpec = z.strictObject({
  kind: z.enum(['ddpm', 'ddim'], { error: 'must be ddpm or ddim' }).default('ddim'),
  /** Respaced sampling steps S (≤ T). */
  steps: int(1, 4000).default(50),
  /** DDIM η: 0 deterministic, 1 ancestral-like. Ignored by ddpm. */
  eta: real(0, 1).default(0),
  /** Image data: Imagen's dynamic thresholding of x̂₀ instead of the static clip to [−1, 1]. */
  threshold: z
    .strictObject({
      kind: z.literal('dynamic', { error: 'must be dynamic' }),
      percentile: z
        .number({ error: 'must be a number greater than 0.5, at most 1' })
        .gt(0.5, { error: 'must be a number greater than 0.5, at most 1' })
        .max(1, { error: 'must be a number greater than 0.5, at most 1' })
        .default(0.995),
    })
    .optional(),
});

export const SweepSpec = z
  .strictObject({
    name: text('must not be empty').max(200, { error: 'must be at most 200 characters' }).default('sweep'),
    description: z
      .string({ error: 'must be a string' })
      .max(4000, { error: 'must be at most 4000 characters' })
      .refine((v) => !v.includes('\0'), { error: 'must not contain NUL characters (\\u0000)' })
      .optional(),
    dataset: DatasetSpec,
    schedule: ScheduleSpec.default({ kind: 'linear', T: 1000 }),
    model: ModelSpec.default({ hidden: 128, depth: 3, channels: [32, 64, 64], blocksPerLevel: 1 }),
    training: TrainingSpec.default({ steps: 4000, batchSize: 256, learningRate: 1e-3, emaDecay: 0.999, checkpointEvery: 500 }),
    /** The noise-aware classifier trained on x_t for classifier guidance. */
    classifier: ClassifierSpec.default({ hidden: 128, depth: 3, channels: [32, 64], steps: 3000, batchSize: 256, learningRate: 1e-3 }),
    /** The separate clean classifier whose features and softmax score every sample. */
    evaluator: ClassifierSpec.default({ hidden: 128, depth: 3, channels: [32, 64], steps: 3000, batchSize: 256, learningRate: 1e-3 }),
    /** The original guidance types; each becomes a method with default parameters. */
    guidance: list(z.enum(GUIDANCE_TYPES, { error: `must be one of: ${GUIDANCE_TYPES.join(', ')}` }), 3).optional(),
    /** Guidance methods with their parameters (a list-valued parameter is a grid axis). */
    methods: z.array(MethodSpec).max(32, { error: 'must list at most 32 methods' }).optional(),
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
    // IS splits the samples into IS_SPLITS parts; idx and folder datasets have at least 2 classes.
    const classes = spec.dataset.kind === 'toy2d' ? spec.dataset.classes : spec.dataset.kind === 'mnist' ? 10 : 2;
    const minPerClass = Math.ceil(IS_SPLITS / classes);
    if (spec.samplesPerClass < minPerClass) {
      ctx.addIssue({
        code: 'custom',
        path: ['samplesPerClass'],
        message: `must be at least ${minPerClass} here: Inception Score needs ${IS_SPLITS} samples or more over the ${classes}${spec.dataset.kind === 'idx' || spec.dataset.kind === 'folder' ? ' (or more)' : ''} classes (and at most 10000)`,
      });
    }
    const dupes = (xs: number[]) => xs.length !== new Set(xs).size;
    if (dupes(spec.scales)) ctx.addIssue({ code: 'custom', path: ['scales'], message: 'must not repeat a value' });
    if (dupes(spec.pUncond)) ctx.addIssue({ code: 'custom', path: ['pUncond'], message: 'must not repeat a value' });
    if (dupes(spec.seeds)) ctx.addIssue({ code: 'custom', path: ['seeds'], message: 'must not repeat a value' });
    const methods = allMethods(spec);
    if (!methods.length) ctx.addIssue({ code: 'custom', path: ['methods'], message: 'must list at least one method (or give guidance)' });
    const needsBoth = methods.filter((m) => NEEDS_UNCONDITIONAL.includes(m.method));
    if (needsBoth.length && spec.pUncond.every((p) => p === 0 || p === 1)) {
      ctx.addIssue({
        code: 'custom',
        path: ['pUncond'],
        message: `${needsBoth[0].method} guidance needs a model trained with both branches: list a value strictly between 0 and 1`,
      });
    }
    (spec.methods ?? []).forEach((m, i) => {
      if (m.method === 'cfg-pp' && !m.scales && !spec.scales.some((s) => s <= 1)) {
        ctx.addIssue({ code: 'custom', path: ['methods', i, 'scales'], message: 'cfg-pp scales λ must be numbers from 0 to 1: list them here, as the sweep scales are all above 1' });
      }
    });
  })
  .transform((spec) => ({ ...spec, methods: allMethods(spec) }));

/** The spec's methods: `guidance` strings as methods with default parameters, then `methods`, without repeats. */
function allMethods(spec: { guidance?: (typeof GUIDANCE_TYPES)[number][]; methods?: MethodSpec[] }): MethodSpec[] {
  const seen = new Set<string>();
  return [...(spec.guidance ?? []).map((method) => ({ method }) as MethodSpec), ...(spec.methods ?? [])].filter((m) => {
    const key = canonicalJson(m);
    return !seen.has(key) && Boolean(seen.add(key));
  });
}

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

/**
 * A value-or-list parameter that is neither reports "invalid_union"; the branch whose issues go
 * deepest (the list's bad element, or the single value's bad field) says what is wrong.
 */
function specific(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== 'invalid_union' || !issue.errors.length) return [issue];
  const depth = (branch: z.core.$ZodIssue[]) => Math.max(...branch.map((i) => i.path.length));
  const best = issue.errors.reduce((a, b) => (depth(b) > depth(a) ? b : a));
  return best.flatMap((i) => specific({ ...i, path: [...issue.path, ...i.path] } as z.core.$ZodIssue));
}

/** Validates and fills defaults; throws SpecError naming every bad field. */
export function parseSpec(input: unknown): SweepSpec {
  const result = SweepSpec.safeParse(input);
  if (result.success) return result.data;
  throw new SpecError(
    result.error.issues.flatMap(specific).map((issue) => ({
      field: issue.path.length ? issue.path.join('.') : '(spec)',
      message: issue.code === 'unrecognized_keys' ? `has unknown field(s): ${issue.keys.join(', ')}` : issue.message,
    })),
  );
}
