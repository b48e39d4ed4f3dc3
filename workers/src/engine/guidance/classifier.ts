import * as tf from '@tensorflow/tfjs-core';
import type { EpsFn, GradLogProbFn, GuidanceRule, LogProbFn } from '../types';
import { checkScale } from './checkScale';
import { withModelLabel } from './modelLabel';
import { scaleAt, type Modifiers } from './scaleAt';

/** ∇_x log f by tfjs autodiff. Summing the per-sample log-probs leaves each sample's gradient its own. */
export const gradLogProbOf =
  (logProb: LogProbFn): GradLogProbFn =>
  (x, t, y) =>
    tf.tidy(() => tf.grad((xi: tf.Tensor) => tf.sum(logProb(xi, t, y)))(x));

/**
 * Classifier guidance (Dhariwal & Nichol 2021, Alg. 1 and 2): the ε-net's own ε, plus
 * `gradient` = s·∇_x log f(y | x_t, t), which the sampler applies in its own form; outside a
 * guidance interval there is no gradient (the classifier is not run).
 * `modelLabel`, when given, is the label the ε-net receives instead of y: the null label K for an
 * unconditional model (D&N Table 4, top rows); leave it out to steer a conditional model with y.
 */
export function classifierGuidance(eps: EpsFn, gradLogProb: GradLogProbFn, scale: number, modelLabel?: number, mods: Modifiers = {}): GuidanceRule {
  checkScale(scale);
  const epsOf = withModelLabel(eps, modelLabel, 'classifier guidance');
  return {
    name: 'classifier',
    scale,
    guide: async (x, t, y, at) => {
      const s = scaleAt(scale, mods, at);
      const e = await epsOf(x, t, y);
      if (s === null) return { eps: e };
      try {
        const g = await gradLogProb(x, t, y);
        try {
          return { eps: e, gradient: tf.mul(g, s) };
        } finally {
          g.dispose();
        }
      } catch (error) {
        e.dispose();
        throw error;
      }
    },
  };
}
