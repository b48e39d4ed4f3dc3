/**
 * The few primitive layers every network is built from. Each takes the parameter source and a name
 * prefix, so the same ordered parameter list can be translated layer by layer (e.g. to ONNX).
 * NHWC throughout. No tf.gather: embeddings are one-hot × matrix (wasm has no gather gradient).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ParamSource } from './params';

/** Multiply-accumulate counter for FLOP estimates (2 FLOPs per MAC); see `countFlops`. */
let macs = 0;

/** Runs `forward` once and returns the FLOPs its dense and conv layers performed (per the batch it ran). */
export function countFlops(forward: () => tf.Tensor): number {
  macs = 0;
  tf.tidy(() => {
    forward();
  });
  return 2 * macs;
}

/** y = x·W + b over the last axis. */
export function dense(p: ParamSource, name: string, x: tf.Tensor, out: number, zeroInit = false): tf.Tensor {
  const inDim = x.shape[x.rank - 1];
  const w = p.get(`${name}.w`, [inDim, out], zeroInit ? { kind: 'zeros' } : { kind: 'normal', fanIn: inDim, gain: 0.5 });
  const b = p.get(`${name}.b`, [out], { kind: 'zeros' });
  macs += (x.size / inDim) * inDim * out;
  const flat = x.rank === 2 ? x : tf.reshape(x, [-1, inDim]);
  const y = tf.add(tf.matMul(flat as tf.Tensor2D, w as tf.Tensor2D), b);
  return x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), out]);
}

/** k×k convolution ('same' padding) with bias; stride 2 halves the resolution. */
export function conv(p: ParamSource, name: string, x: tf.Tensor4D, out: number, opts: { k?: 1 | 3; stride?: 1 | 2; zeroInit?: boolean } = {}): tf.Tensor4D {
  const { k = 3, stride = 1, zeroInit = false } = opts;
  const inC = x.shape[3];
  const w = p.get(`${name}.w`, [k, k, inC, out], zeroInit ? { kind: 'zeros' } : { kind: 'normal', fanIn: k * k * inC, gain: 0.5 });
  const b = p.get(`${name}.b`, [out], { kind: 'zeros' });
  const y = tf.conv2d(x, w as tf.Tensor4D, stride, 'same');
  macs += y.shape[0] * y.shape[1] * y.shape[2] * out * k * k * inC;
  return tf.add(y, b);
}

/** The largest group count ≤ `groups` dividing `channels` (GroupNorm(8) where 8 divides C). */
export function groupsFor(channels: number, groups = 8): number {
  let g = Math.min(groups, channels);
  while (channels % g !== 0) g--;
  return g;
}

/** Axes of a group in the [N, H, W, G, C/G] layout. */
const GROUP_AXES = [1, 2, 4];

/**
 * x̂ = (x − μ)/√(σ² + ε) per group of [N, H, W, G, C/G], with its gradient written out:
 * ∂x = (∂x̂ − mean(∂x̂) − x̂·mean(∂x̂·x̂))/√(σ² + ε). Autodiff through moments, sub, sqrt and div runs
 * about twenty elementwise passes and reductions backwards (each a kernel, and a graph node when
 * exported); this runs seven.
 */
const normalizeGroups = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
  const centred = tf.sub(x, tf.mean(x, GROUP_AXES, true));
  const rstd = tf.rsqrt(tf.add(tf.mean(tf.square(centred), GROUP_AXES, true), 1e-5));
  const value = tf.mul(centred, rstd);
  save([value, rstd]);
  return {
    value,
    gradFunc: (dy: tf.Tensor, [xhat, r]: tf.Tensor[]) => {
      const spread = tf.add(tf.mean(dy, GROUP_AXES, true), tf.mul(xhat, tf.mean(tf.mul(dy, xhat), GROUP_AXES, true)));
      return tf.mul(tf.sub(dy, spread), r);
    },
  };
});

/** GroupNorm (Wu & He 2018) over H, W and each group of channels, with a learned per-channel affine. */
export function groupNorm(p: ParamSource, name: string, x: tf.Tensor4D, groups = 8): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const g = groupsFor(c, groups);
  const normed = tf.reshape(normalizeGroups(tf.reshape(x, [n, h, w, g, c / g])), [n, h, w, c]);
  const gamma = p.get(`${name}.gamma`, [c], { kind: 'ones' });
  const beta = p.get(`${name}.beta`, [c], { kind: 'zeros' });
  return tf.add(tf.mul(normed, gamma), beta);
}

/**
 * SiLU / swish, y = x·σ(x), with its gradient from the saved σ and y: ∂x = ∂y·(σ + y·(1 − σ)) — four
 * elementwise passes backwards where autodiff through the product and the sigmoid makes six.
 */
const siluWithGrad = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
  const sigma = tf.sigmoid(x);
  const value = tf.mul(x, sigma);
  save([sigma, value]);
  return { value, gradFunc: (dy: tf.Tensor, [s, y]: tf.Tensor[]) => tf.mul(dy, tf.add(s, tf.mul(y, tf.sub(1, s)))) };
});

/** SiLU / swish: x·σ(x). */
export const silu = <T extends tf.Tensor>(x: T): T => siluWithGrad(x) as T;

/** Nearest-neighbour 2× upsampling. */
export const upsample2x = (x: tf.Tensor4D): tf.Tensor4D => tf.image.resizeNearestNeighbor(x, [x.shape[1] * 2, x.shape[2] * 2]);

/**
 * Sinusoidal embedding of timestep indices (Vaswani et al. 2017, as used by DDPM):
 * [sin(t·ω_k), cos(t·ω_k)] with ω_k = 10000^(−k/(d/2)), k = 0..d/2−1.
 */
export function timeEmbedding(t: tf.Tensor1D, dim: number): tf.Tensor2D {
  if (dim % 2 !== 0) throw new Error(`time embedding dim must be even, got ${dim}`);
  const half = dim / 2;
  const freqs = tf.tensor1d(Array.from({ length: half }, (_, k) => Math.exp((-Math.log(10000) * k) / half)));
  const angles = tf.mul(tf.expandDims(tf.cast(t, 'float32'), 1), tf.expandDims(freqs, 0));
  return tf.concat([tf.sin(angles), tf.cos(angles)], 1) as tf.Tensor2D;
}

/** Learned embedding of int labels 0..rows−1 as one-hot × matrix (differentiable on every backend). */
export function embedding(p: ParamSource, name: string, labels: tf.Tensor1D, rows: number, dim: number, zeroInit = false): tf.Tensor2D {
  const table = p.get(`${name}.table`, [rows, dim], zeroInit ? { kind: 'zeros' } : { kind: 'normal', fanIn: 2, gain: 0.5 });
  macs += labels.shape[0] * rows * dim;
  return tf.matMul(tf.oneHot(tf.cast(labels, 'int32'), rows), table as tf.Tensor2D);
}
