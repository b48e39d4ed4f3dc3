import * as tf from '@tensorflow/tfjs-core';
import type { EpsFn, GuidanceRule } from '../types';
import { checkScale } from './checkScale';

/**
 * Classifier-free guidance (Ho & Salimans 2022 eq. 6, in GLIDE's scale s = 1 + w):
 * ε̄ = ε(x,t,∅) + s·(ε(x,t,y) − ε(x,t,∅)). Both branches run in one forward pass on [x; x] with
 * labels [y; ∅], so the guided sampler costs one network call per step.
 */
export function classifierFree(eps: EpsFn, scale: number, nullLabel: number): GuidanceRule {
  checkScale(scale);
  if (!Number.isInteger(nullLabel) || nullLabel < 1) throw new Error(`classifier-free nullLabel must be the class count K ≥ 1, got ${nullLabel}`);
  return {
    name: 'classifier-free',
    scale,
    eps: (x, t, y) =>
      tf.tidy(() => {
        const n = x.shape[0];
        const both = eps(tf.concat([x, x]), tf.concat([t, t]), tf.concat([y, tf.fill([n], nullLabel, 'int32')]) as tf.Tensor1D);
        const [cond, uncond] = tf.split(both, 2);
        return tf.add(uncond, tf.mul(tf.sub(cond, uncond), scale));
      }),
  };
}
