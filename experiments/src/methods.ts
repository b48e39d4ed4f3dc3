/**
 * Guidance methods as sweep axes (issue 10; rules and sources in docs/methods.md). A spec lists
 * `methods: [{ method: <id>, ...parameters }]`; a parameter given as a list is a grid axis. This file
 * holds the ids, each method's zod schema with its bounds, and the defaults a grid point records.
 */
import { z } from 'zod';

export const METHOD_IDS = ['none', 'classifier-free', 'classifier', 'autoguidance', 'cfg-pp', 'apg', 'cfg-zero-star', 'icg'] as const;
export type MethodId = (typeof METHOD_IDS)[number];

/** The original guidance type a method belongs to: every method without a classifier is classifier-free. */
export function methodFamily(method: MethodId): 'none' | 'classifier' | 'classifier-free' {
  return method === 'none' || method === 'classifier' ? method : 'classifier-free';
}

/** Methods that combine ε(x, y) with ε(x, ∅), so their ε-net must be trained with 0 < p_uncond < 1. */
export const NEEDS_UNCONDITIONAL: readonly MethodId[] = ['classifier-free', 'cfg-pp', 'apg', 'cfg-zero-star'];

export const SCALE_SCHEDULES = ['constant', 'linear', 'cosine'] as const;
export type ScaleSchedule = (typeof SCALE_SCHEDULES)[number];

/** [σ_lo, σ_hi] on σ_t = √((1−ᾱ_t)/ᾱ_t): guide only inside. */
export type Interval = [number, number];

/** The autoguidance guide: a smaller, shorter-trained conditional ε-net (Karras et al. 2024). */
export interface GuideSize {
  hidden: number;
  depth: number;
  channels: number[];
  steps: number;
}

/** One method's parameters after defaults: what a grid point records as `methodParams`. */
export interface MethodParams {
  /** Guidance interval; null = every σ. classifier-free, classifier, autoguidance. */
  interval?: Interval | null;
  /** Guidance rescale φ (classifier-free). */
  rescale?: number;
  /** Scale schedule over the sampler's steps, its mean = s. classifier-free, classifier, autoguidance. */
  schedule?: ScaleSchedule;
  guide?: GuideSize;
  /** APG: parallel weight η, norm cap r (0 = no cap), reverse momentum β. */
  eta?: number;
  normThreshold?: number;
  momentum?: number;
  /** CFG-Zero*: the first K steps output ε̂ = 0. */
  zeroInitSteps?: number;
}

export interface MethodSetting extends MethodParams {
  method: MethodId;
}

const range = (kind: 'whole number' | 'number', min: number, max: number) => `must be a ${kind} from ${min} to ${max}`;
const real = (min: number, max: number) =>
  z
    .number({ error: range('number', min, max) })
    .min(min, { error: range('number', min, max) })
    .max(max, { error: range('number', min, max) });
const int = (min: number, max: number) =>
  z
    .number({ error: range('whole number', min, max) })
    .int({ error: range('whole number', min, max) })
    .min(min, { error: range('whole number', min, max) })
    .max(max, { error: range('whole number', min, max) });

/** A value or a list of values (a grid axis). */
const axis = <T extends z.ZodType>(item: T, max = 16) =>
  z.union([item, z.array(item).min(1, { error: `must list at least one value (at most ${max})` }).max(max, { error: `must list at most ${max} values` })], {
    error: `must be a value or a list of at most ${max} values`,
  });

const SIGMA_MAX = 1e4;
const interval = z
  .tuple([real(0, SIGMA_MAX), real(0, SIGMA_MAX)], { error: `must be [sigmaLo, sigmaHi] with 0 ≤ sigmaLo ≤ sigmaHi ≤ ${SIGMA_MAX}` })
  .refine(([lo, hi]) => lo <= hi, { error: `must be [sigmaLo, sigmaHi] with 0 ≤ sigmaLo ≤ sigmaHi ≤ ${SIGMA_MAX}` });
const schedule = z.enum(SCALE_SCHEDULES, { error: `must be one of: ${SCALE_SCHEDULES.join(', ')}` });
/** Per-method scales; replaces the spec's `scales` for this method. */
const scales = (max: number) => z.array(real(0, max)).min(1, { error: 'must list at least one value (at most 64)' }).max(64, { error: 'must list at most 64 values' });

const guide = z.strictObject({
  /** MLP width (toy2d); default half the main model's. */
  hidden: int(16, 1024).optional(),
  depth: int(1, 8).optional(),
  /** U-Net channels per level (images); default half the main model's. */
  channels: z
    .array(int(4, 256))
    .min(1, { error: 'must list 1 to 4 values' })
    .max(4, { error: 'must list 1 to 4 values' })
    .optional(),
  /** Training steps; default 1/8 of the main model's. */
  steps: int(1, 1_000_000).optional(),
});
export type GuideInput = z.input<typeof guide>;

const modifiers = { interval: axis(interval).optional(), schedule: axis(schedule).optional() };

export const MethodSpec = z.discriminatedUnion(
  'method',
  [
    z.strictObject({ method: z.literal('none') }),
    z.strictObject({ method: z.literal('classifier-free'), scales: scales(100).optional(), ...modifiers, rescale: axis(real(0, 1)).optional() }),
    z.strictObject({ method: z.literal('classifier'), scales: scales(100).optional(), ...modifiers }),
    z.strictObject({ method: z.literal('autoguidance'), scales: scales(100).optional(), ...modifiers, guide: axis(guide, 8).optional() }),
    /** CFG++: the scale is λ ∈ [0, 1]. */
    z.strictObject({ method: z.literal('cfg-pp'), scales: scales(1).optional() }),
    z.strictObject({
      method: z.literal('apg'),
      scales: scales(100).optional(),
      eta: axis(real(0, 1)).optional(),
      normThreshold: axis(real(0, 1000)).optional(),
      momentum: axis(real(-0.99, 0.99)).optional(),
    }),
    z.strictObject({ method: z.literal('cfg-zero-star'), scales: scales(100).optional(), zeroInitSteps: axis(int(0, 4000)).optional() }),
    z.strictObject({ method: z.literal('icg'), scales: scales(100).optional() }),
  ],
  { error: `must be one of: ${METHOD_IDS.join(', ')}` },
);
export type MethodSpecInput = z.input<typeof MethodSpec>;
export type MethodSpec = z.output<typeof MethodSpec>;

/** Defaults a method's parameters take when the spec leaves them out (the guide's depend on the main model). */
export const METHOD_DEFAULTS: Record<MethodId, Omit<MethodParams, 'guide'>> = {
  none: {},
  'classifier-free': { interval: null, rescale: 0, schedule: 'constant' },
  classifier: { interval: null, schedule: 'constant' },
  autoguidance: { interval: null, schedule: 'constant' },
  'cfg-pp': {},
  // Sadat et al. 2024 Alg. 1 as its implementations run it; diffusers' defaults are η = 1, r = 15, β = 0.
  apg: { eta: 0, normThreshold: 2.5, momentum: -0.75 },
  'cfg-zero-star': { zeroInitSteps: 0 },
  icg: {},
};

/** Whether a parameter's value is a list of values (a grid axis) rather than one value. */
function isAxis(key: string, value: unknown): value is unknown[] {
  if (!Array.isArray(value)) return false;
  // One interval is itself a pair of numbers; a list of intervals is a list of pairs.
  return key === 'interval' ? Array.isArray(value[0]) : true;
}

/**
 * The parameter settings one method entry expands to (the cartesian product of its list-valued
 * parameters), each with the method's defaults filled in. `scales` is not a parameter.
 */
export function expandMethod(entry: MethodSpec, guideDefaults: GuideSize): MethodSetting[] {
  const { method, scales: _scales, ...params } = entry as MethodSpec & { scales?: number[] };
  let settings: Record<string, unknown>[] = [{ ...METHOD_DEFAULTS[method] }];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    const values = isAxis(key, value) ? value : [value];
    settings = settings.flatMap((s) => values.map((v) => ({ ...s, [key]: v })));
  }
  return settings.map((s) => {
    const out = { method, ...s } as MethodSetting;
    if (method === 'autoguidance') out.guide = { ...guideDefaults, ...((s.guide as GuideInput | undefined) ?? {}) } as GuideSize;
    return out;
  });
}

/** A short label of a method's parameters for tables and legends, e.g. "interval=[0.28,1.61] rescale=0.7". */
export function methodLabel(method: MethodId, params: MethodParams): string {
  const defaults = METHOD_DEFAULTS[method] as Record<string, unknown>;
  const parts = Object.entries(params)
    .filter(([k, v]) => k !== 'guide' && JSON.stringify(v) !== JSON.stringify(defaults[k]))
    .map(([k, v]) => `${k}=${Array.isArray(v) ? `[${v.join(',')}]` : v}`);
  if (params.guide) parts.push(`guide=${params.guide.hidden}w/${params.guide.channels.join('-')}ch/${params.guide.steps}st`);
  return [method, ...parts].join(' ');
}
