import * as tf from '@tensorflow/tfjs-core';
import type { EpsFn, GradLogProbFn, GuidanceRule, LogProbFn } from '../types';
import { checkScale } from './checkScale';
import { withModelLabel } from './modelLabel';

/** ∇_x log f by tfjs autodiff. Summing the per-sample log-probs leaves each sample's gradient its own. */
export const gradLogProbOf =
  (logProb: LogProbFn): GradLogProbFn =>
  (x, t, y) =>
    tf.tidy(() => tf.grad((xi: tf.Tensor) => tf.sum(logProb(xi, t, y)))(x));

/**
 * Classifier guidance (Dhariwal & Nichol 2021, Alg. 1 and 2): the ε-net's own ε, plus
 * `gradient` = s·∇_x log f(y | x_t, t), which the sampler applies in its own form.
 * `modelLabel`, when given, is the label the ε-net receives instead of y: the null label K for an
 * unconditional model (D&N Table 4, top rows); leave it out to steer a conditional model with y.
 */
export function classifierGuidance(eps: EpsFn, gradLogProb: GradLogProbFn, scale: number, modelLabel?: number): GuidanceRule {
  checkScale(scale);
  return {
    name: 'classifier',
    scale,
    eps: withModelLabel(eps, modelLabel, 'classifier guidance'),
    gradient: async (x, t, y) => {
      const g = await gradLogProb(x, t, y);
      try {
        return tf.mul(g, scale);
      } finally {
        g.dispose();
      }
    },
  };
}
