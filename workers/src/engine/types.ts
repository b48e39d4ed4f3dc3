/**
 * The narrow interfaces that join the engine's independent parts: networks, noise schedules,
 * samplers, guidance rules and metrics know each other only through these types.
 *
 * Timestep convention: a timestep is a 0-based index i into the training schedule
 * (the papers' t = i + 1), so ᾱ of timestep i is `schedule.alphasCumprod[i]`.
 * Labels are int32 class indices 0..K−1; the value K is the null label ∅.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { MethodId } from '@guidance-lab/experiments/methods';

/** A discrete noise schedule β_1..β_T with its cumulative products, in float64. */
export interface NoiseSchedule {
  kind: 'linear' | 'cosine';
  T: number;
  betas: Float64Array;
  /** α_i = 1 − β_i. */
  alphas: Float64Array;
  /** ᾱ_i = Π_{j ≤ i} α_j. */
  alphasCumprod: Float64Array;
}

/**
 * ε_θ(x_t, t, c): predicted noise for a batch (a new tensor). `t` holds original-schedule timestep
 * indices. A tfjs network answers at once; onnxruntime (onnx/session.ts) answers with a promise.
 */
export type EpsFn = (x: tf.Tensor, t: tf.Tensor1D, y: tf.Tensor1D) => tf.Tensor | Promise<tf.Tensor>;

/** An EpsFn computed by tfjs, which answers at once (networks and closed forms). */
export type TensorEpsFn = (x: tf.Tensor, t: tf.Tensor1D, y: tf.Tensor1D) => tf.Tensor;

/** log f(y | x_t, t) per sample, differentiable in x (the classifier sees original timesteps). */
export type LogProbFn = (x: tf.Tensor, t: tf.Tensor1D, y: tf.Tensor1D) => tf.Tensor1D;

/**
 * ∇_x Σ_i log f(y_i | x_i, t_i): each sample's own gradient (samples are independent), a new
 * tensor shaped like x. tfjs differentiates a LogProbFn at once; onnxruntime answers with a promise.
 */
export type GradLogProbFn = (x: tf.Tensor, t: tf.Tensor1D, y: tf.Tensor1D) => tf.Tensor | Promise<tf.Tensor>;

/** Where in the sampling chain a rule is asked: what schedules, intervals and seeded draws depend on. */
export interface StepAt {
  /** Position in the respaced chain, 0 = noisiest, of `steps`. */
  k: number;
  steps: number;
  /** Original-schedule timestep index and its ᾱ_t. */
  timestep: number;
  alphaBar: number;
  /** Index of the batch's first sample in the whole draw (seeded per-sample randomness keys on it). */
  first: number;
}

/**
 * What a rule hands the sampler step (new tensors): `eps`, the ε to predict x̂₀ from; `gradient`,
 * s·∇_x log f(y | x_t, t), applied in the sampler's own form (DDIM: ε − √(1−ᾱ_t)·g; DDPM:
 * μ + Σ_t·g); `renoise`, the ε that re-noises x̂₀ to the next step when it differs from `eps` (CFG++).
 */
export interface Guided {
  eps: tf.Tensor;
  gradient?: tf.Tensor | null;
  renoise?: tf.Tensor | null;
}

/** A guidance rule, seen from a sampler: one asynchronous call per step (the networks may be). */
export interface GuidanceRule {
  readonly name: MethodId;
  readonly scale: number;
  guide(x: tf.Tensor, t: tf.Tensor1D, y: tf.Tensor1D, at: StepAt): Promise<Guided>;
  /** Frees state a rule keeps across one chain's steps (APG's momentum); the sampler calls it when a batch's chain ends, finished, aborted or failed. */
  endChain?(): void;
}

/** Reported by long work (training, sampling, scoring). */
export interface Progress {
  phase: string;
  done: number;
  total: number;
  /** Latest training loss, where there is one. */
  loss?: number;
}
export type ProgressFn = (p: Progress) => void;

/** A labelled dataset in memory: rows of `dim` float32 values each. */
export interface LabelledData {
  /** Per-sample shape: [2] for toy2d, [H, W, C] for images (values in [−1, 1]). */
  shape: number[];
  x: Float32Array;
  y: Int32Array;
  classes: number;
  classNames: string[];
}

export interface DatasetSplit {
  name: string;
  train: LabelledData;
  /** Held-out data: the metrics' reference set. */
  test: LabelledData;
}

/** Sample metrics (the results.json contract's); every score records N and the evaluator's content hash. */
export type { RunMetrics as Metrics } from '@guidance-lab/experiments/results';
