import * as tf from '@tensorflow/tfjs-core';
import { hashSeed, mulberry32 } from '../random';
import type { EpsFn, GuidanceRule } from '../types';
import { checkScale } from './checkScale';
import { pairEps } from './pairEps';

/** Keeps ICG's label draws apart from the sampler's noise streams, which hash (seed, sample, step). */
const ICG_STREAM = 0x1c6;

/**
 * ICG's independent labels for samples first..first+n−1 at one step: uniform over the K classes,
 * keyed by (seed, sample index, step) like the sampler's noise, so they do not depend on batching.
 */
export function independentLabels(seed: number, first: number, n: number, step: number, classes: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => Math.floor(mulberry32(hashSeed(seed, first + i, step, ICG_STREAM))() * classes));
}

/**
 * Independent condition guidance (Sadat et al. 2024, arXiv 2407.02687): CFG with ∅ replaced by an
 * independent random label ĉ, ε̂ = ε(x,ĉ) + s·(ε(x,y) − ε(x,ĉ)); a model trained with p_uncond = 0
 * can be guided. One forward pass on [x; x] with labels [y; ĉ].
 */
export function independentCondition(eps: EpsFn, scale: number, classes: number, seed: number): GuidanceRule {
  checkScale(scale);
  if (!Number.isInteger(classes) || classes < 1) throw new Error(`icg classes must be the class count K ≥ 1, got ${classes}`);
  return {
    name: 'icg',
    scale,
    guide: async (x, t, y, at) => {
      const random = tf.tensor1d(independentLabels(seed, at.first, x.shape[0], at.timestep, classes), 'int32');
      const [cond, other] = await pairEps(eps, x, t, y, random).finally(() => random.dispose());
      try {
        return { eps: tf.tidy(() => tf.add(other, tf.mul(tf.sub(cond, other), scale))) };
      } finally {
        tf.dispose([cond, other]);
      }
    },
  };
}
