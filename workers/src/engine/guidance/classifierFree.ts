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
    eps: async (x, t, y) => {
      const n = x.shape[0];
      const [xx, tt, yy] = tf.tidy(() => [tf.concat([x, x]), tf.concat([t, t]), tf.concat([y, tf.fill([n], nullLabel, 'int32')])]);
      let both: tf.Tensor;
      try {
        both = await eps(xx, tt as tf.Tensor1D, yy as tf.Tensor1D);
      } finally {
        tf.dispose([xx, tt, yy]);
      }
      try {
        return tf.tidy(() => {
          const [cond, uncond] = tf.split(both, 2);
          return tf.add(uncond, tf.mul(tf.sub(cond, uncond), scale));
        });
      } finally {
        both.dispose();
      }
    },
  };
}
