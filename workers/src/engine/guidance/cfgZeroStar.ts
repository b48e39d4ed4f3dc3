import * as tf from '@tensorflow/tfjs-core';
import type { EpsFn, GuidanceRule } from '../types';
import { checkScale } from './checkScale';
import { checkNullLabel, condUncond } from './pairEps';
import { dot, safeDiv } from './perSample';

/**
 * CFG-Zero* (Fan et al. 2025): the optimised scale s* = ⟨ε_c, ε_u⟩/‖ε_u‖² per sample, then
 * ε̂ = s*·ε_u + s·(ε_c − s*·ε_u). The first `zeroInitSteps` steps output ε̂ = 0 (meant for flow
 * models; 0 by default here).
 */
export function cfgZeroStar(eps: EpsFn, scale: number, nullLabel: number, zeroInitSteps = 0): GuidanceRule {
  checkScale(scale);
  checkNullLabel('cfg-zero-star', nullLabel);
  if (!Number.isInteger(zeroInitSteps) || zeroInitSteps < 0) throw new Error(`cfg-zero-star zeroInitSteps must be a whole number ≥ 0, got ${zeroInitSteps}`);
  return {
    name: 'cfg-zero-star',
    scale,
    guide: async (x, t, y, at) => {
      if (at.k < zeroInitSteps) return { eps: tf.zerosLike(x) };
      const [cond, uncond] = await condUncond(eps, x, t, y, nullLabel);
      try {
        return {
          eps: tf.tidy(() => {
            const projected = tf.mul(safeDiv(dot(cond, uncond), dot(uncond, uncond)), uncond);
            return tf.add(projected, tf.mul(tf.sub(cond, projected), scale));
          }),
        };
      } finally {
        tf.dispose([cond, uncond]);
      }
    },
  };
}
