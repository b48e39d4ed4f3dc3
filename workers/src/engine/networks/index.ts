/**
 * Network configs, built from the sweep spec and the data's shape, and the one entry point per role:
 * ε-nets (MLP for vectors, U-Net for images) and classifiers (noise-aware or clean evaluator).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { SweepSpec } from '@guidance-lab/experiments/spec';
import { applyClassifier, type ClassifierConfig } from './classifier';
import { countFlops } from './layers';
import { applyMlpEps, type MlpEpsConfig } from './mlpEps';
import { fromParams, initSource, type ParamSource, type Params } from './params';
import { applyUnetEps, type UnetEpsConfig } from './unetEps';

export type { ClassifierConfig } from './classifier';
export { featureDim } from './classifier';
export type { MlpEpsConfig } from './mlpEps';
export type { UnetEpsConfig } from './unetEps';
export { cloneParams, countParams, disposeParams, type Params } from './params';

export type EpsNetConfig = MlpEpsConfig | UnetEpsConfig;
export type NetworkConfig = EpsNetConfig | ClassifierConfig;

/** What a network needs to know about its data. */
export interface DataShape {
  /** Per-sample shape: [dim] for vectors, [H, W, C] for images. */
  shape: number[];
  classes: number;
}

function checkShape(shape: number[]): void {
  if (shape.length !== 1 && shape.length !== 3) throw new Error(`data shape must be [dim] or [H, W, C], got [${shape}]`);
}

/** A spec's `patch` as a config field: present only above 1, so configs (and their hashes) without patches stay as they were. */
const patchField = (patch: number | undefined) => (patch && patch > 1 ? { patch } : {});

/** The ε-net for this data: an MLP for vectors, a U-Net for images (spec.model). */
export function epsNetConfig(model: SweepSpec['model'], data: DataShape): EpsNetConfig {
  checkShape(data.shape);
  return data.shape.length === 1
    ? { kind: 'mlp-eps', inputShape: data.shape, classes: data.classes, hidden: model.hidden, depth: model.depth }
    : { kind: 'unet-eps', inputShape: data.shape, classes: data.classes, channels: model.channels, blocksPerLevel: model.blocksPerLevel, ...patchField(model.patch), ...(model.classMap ? { classMap: true } : {}) };
}

/** A classifier for this data (spec.classifier or spec.evaluator); noise-aware when time-conditioned. */
export function classifierConfig(spec: SweepSpec['classifier'], data: DataShape, timeConditioned: boolean): ClassifierConfig {
  checkShape(data.shape);
  return { kind: 'classifier', inputShape: data.shape, classes: data.classes, timeConditioned, hidden: spec.hidden, depth: spec.depth, channels: spec.channels, ...patchField(spec.patch) };
}

/** ε_θ(x_t, t, y) with y ∈ {0..K} (K = ∅). */
export function applyEps(cfg: EpsNetConfig, params: Params, x: tf.Tensor, t: tf.Tensor1D, y: tf.Tensor1D): tf.Tensor {
  return forwardEps(fromParams(params), cfg, x, t, y);
}

function forwardEps(p: ParamSource, cfg: EpsNetConfig, x: tf.Tensor, t: tf.Tensor1D, y: tf.Tensor1D): tf.Tensor {
  return cfg.kind === 'mlp-eps' ? applyMlpEps(p, cfg, x, t, y) : applyUnetEps(p, cfg, x, t, y);
}

/** Classifier features and logits; `t` must be given exactly when the classifier is time-conditioned. */
export function classify(cfg: ClassifierConfig, params: Params, x: tf.Tensor, t: tf.Tensor1D | null): { features: tf.Tensor2D; logits: tf.Tensor2D } {
  return applyClassifier(fromParams(params), cfg, x, t);
}

/** One forward pass of a single dummy sample, through `p`. */
function dummyForward(p: ParamSource, cfg: NetworkConfig): tf.Tensor {
  const x = tf.zeros([1, ...cfg.inputShape]);
  const t = tf.zeros([1], 'int32') as tf.Tensor1D;
  if (cfg.kind === 'classifier') return applyClassifier(p, cfg, x, cfg.timeConditioned ? t : null).logits;
  return forwardEps(p, cfg, x, t, tf.fill([1], cfg.classes, 'int32') as tf.Tensor1D);
}

/** Fresh parameters, seeded: the same (config, seed) gives the same weights on every backend. */
/** log f(y | x, t) = log softmax(logits)[y] per sample (differentiable in x; classifier guidance's log-probability). */
export function classLogProb(cfg: ClassifierConfig, params: Params, x: tf.Tensor, t: tf.Tensor1D | null, y: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => tf.sum(tf.mul(tf.logSoftmax(classify(cfg, params, x, t).logits), tf.oneHot(tf.cast(y, 'int32'), cfg.classes)), 1) as tf.Tensor1D);
}

/** ∇_x Σ log f(y | x, t): each sample's own gradient, as the samples are independent (classifier guidance). */
export function gradClassLogProb(cfg: ClassifierConfig, params: Params, x: tf.Tensor, t: tf.Tensor1D | null, y: tf.Tensor1D): tf.Tensor {
  return tf.tidy(() => tf.grad((xi: tf.Tensor) => tf.sum(classLogProb(cfg, params, xi, t, y)))(x));
}

export function initParams(cfg: NetworkConfig, seed: number): Params {
  const { source, params } = initSource(seed);
  tf.tidy(() => {
    dummyForward(source, cfg);
  });
  return params;
}

/** FLOPs of one forward pass for one sample (dense and conv layers; the benchmark's unit of work). */
export function flopsPerSample(cfg: NetworkConfig, params: Params): number {
  return countFlops(() => dummyForward(fromParams(params), cfg));
}
