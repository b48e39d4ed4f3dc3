import * as tf from '@tensorflow/tfjs-core';
import { respace, type RespacedSchedule } from '../schedules/respace';
import type { GuidanceRule, NoiseSchedule, ProgressFn, StepAt } from '../types';
import type { X0Bound } from './predictX0';
import { PRIOR_STEP, stepNoise } from './noise';

export interface SampleOptions {
  schedule: NoiseSchedule;
  rule: GuidanceRule;
  /** Per-sample shape: [2] for toy2d, [H, W, C] for images. */
  shape: number[];
  /** One requested class per sample (N = labels.length); the rule decides what the ε-net sees. */
  labels: Int32Array;
  /** Respaced sampling steps S (1..T). */
  steps: number;
  /** DDIM η in [0, 1]; ignored by DDPM. */
  eta?: number;
  seed: number;
  /** Clip x̂₀ to [−clip, clip] (images: 1); null or absent for none. */
  clip?: number | null;
  /** Dynamic thresholding of x̂₀ at this percentile in (0, 1] (Imagen); replaces `clip` when set. */
  threshold?: number | null;
  /** Samples per internal batch, to bound memory (default 256). */
  batchSize?: number;
  onProgress?: ProgressFn;
  signal?: AbortSignal;
}

/** What one reverse step needs; `noise()` makes this step's z (only call it when it is used). */
export interface StepContext {
  x: tf.Tensor;
  /** Position in the respaced chain, 0 = noisiest. */
  k: number;
  spaced: RespacedSchedule;
  /** The guidance rule's ε at (x, t, y). */
  eps: tf.Tensor;
  /** Classifier guidance: s·∇_x log f(y | x_t, t); null for the other rules. */
  gradient: tf.Tensor | null;
  /** The ε that re-noises x̂₀ when the rule gives one (CFG++); null = `eps`. */
  renoise: tf.Tensor | null;
  eta: number;
  bound: X0Bound;
  noise: () => tf.Tensor;
}

/** One reverse step x_t → x_prev, run inside tf.tidy. */
export type StepFn = (c: StepContext) => tf.Tensor;

export type Sampler = (opts: SampleOptions) => Promise<tf.Tensor>;

/**
 * One reverse step with `rule` at (x, t, y): the rule's tensors are awaited first (onnxruntime
 * answers asynchronously, so they cannot run inside the step's tidy), then `step` runs in a tidy.
 * Returns x_prev; every other tensor it makes is disposed, also on error.
 */
export async function guidedStep(
  rule: GuidanceRule,
  step: StepFn,
  c: Omit<StepContext, 'eps' | 'gradient' | 'renoise'>,
  t: tf.Tensor1D,
  y: tf.Tensor1D,
  at: StepAt,
): Promise<tf.Tensor> {
  const guided = await rule.guide(c.x, t, y, at);
  const { eps, gradient = null, renoise = null } = guided;
  try {
    return tf.tidy(() => step({ ...c, eps, gradient, renoise }));
  } finally {
    tf.dispose([eps, ...(gradient ? [gradient] : []), ...(renoise ? [renoise] : [])]);
  }
}

function check(opts: SampleOptions): void {
  const { shape, labels, seed, eta = 0, clip = null, threshold = null, batchSize = 256 } = opts;
  if (!shape.length || !shape.every((d) => Number.isInteger(d) && d > 0)) throw new Error(`sample shape must list positive whole numbers, got [${shape.join(', ')}]`);
  if (!(labels instanceof Int32Array) || labels.length < 1) throw new Error('sample labels must be a non-empty Int32Array (one label per sample)');
  if (!Number.isInteger(seed)) throw new Error(`sample seed must be a whole number, got ${seed}`);
  if (!(eta >= 0 && eta <= 1)) throw new Error(`sampler eta must be a number from 0 to 1, got ${eta}`);
  if (clip !== null && !(clip > 0)) throw new Error(`sampler clip must be a positive number or null, got ${clip}`);
  if (threshold !== null && !(threshold > 0 && threshold <= 1)) throw new Error(`sampler threshold percentile must be a number in (0, 1] or null, got ${threshold}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`sampler batchSize must be a whole number ≥ 1, got ${batchSize}`);
}

function abortError(): Error {
  return new DOMException('sampling aborted', 'AbortError');
}

/** Lets an abort or other I/O land between steps. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The loop every sampler shares: per batch, x_T ~ N(0, I), then the sampler's step for each of the
 * S respaced timesteps (largest first). Returns x₀ as [N, ...shape]; every tensor it makes is
 * disposed, also on abort or error.
 */
export async function runSampler(opts: SampleOptions, step: StepFn): Promise<tf.Tensor> {
  check(opts);
  const { rule, shape, labels, seed, onProgress, signal, eta = 0, clip = null, threshold = null, batchSize = 256 } = opts;
  const bound = { clip, threshold };
  const spaced = respace(opts.schedule, opts.steps);
  const S = spaced.timesteps.length;
  const N = labels.length;
  const dim = shape.reduce((a, b) => a * b, 1);
  const batches = Math.ceil(N / batchSize);
  const outputs: tf.Tensor[] = [];
  try {
    for (let b = 0; b < batches; b++) {
      const first = b * batchSize;
      const n = Math.min(batchSize, N - first);
      const y = tf.tensor1d(labels.subarray(first, first + n), 'int32');
      let x = tf.tensor(stepNoise(seed, first, n, dim, PRIOR_STEP), [n, ...shape]);
      try {
        for (let k = 0; k < S; k++) {
          await yieldToEventLoop();
          if (signal?.aborted) throw abortError();
          const timestep = spaced.timesteps[k];
          const t = tf.fill([n], timestep, 'int32') as tf.Tensor1D;
          const noise = () => tf.tensor(stepNoise(seed, first, n, dim, timestep), [n, ...shape]);
          try {
            const at = { k, steps: S, timestep, alphaBar: spaced.alphasCumprod[k], first };
            const next = await guidedStep(rule, step, { x, k, spaced, eta, bound, noise }, t, y, at);
            x.dispose();
            x = next;
          } finally {
            t.dispose();
          }
          onProgress?.({ phase: 'sample', done: b * S + k + 1, total: batches * S });
        }
        outputs.push(x);
      } catch (err) {
        x.dispose();
        throw err;
      } finally {
        y.dispose();
        rule.endChain?.();
      }
    }
    if (outputs.length === 1) return outputs.pop()!;
    return tf.concat(outputs);
  } finally {
    tf.dispose(outputs);
  }
}
