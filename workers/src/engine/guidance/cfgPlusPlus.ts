import * as tf from '@tensorflow/tfjs-core';
import type { EpsFn, GuidanceRule } from '../types';
import { checkNullLabel, condUncond } from './pairEps';

/**
 * CFG++ (Chung et al. 2024): ε_λ = ε_u + λ(ε_c − ε_u) with λ ∈ [0, 1] predicts x̂₀, and the
 * sampler re-noises x̂₀ to the next step with the unconditional ε_u instead of ε_λ (`renoise`).
 */
export function cfgPlusPlus(eps: EpsFn, lambda: number, nullLabel: number): GuidanceRule {
  if (!(lambda >= 0 && lambda <= 1)) throw new Error(`cfg-pp scale λ must be a number from 0 to 1, got ${lambda}`);
  checkNullLabel('cfg-pp', nullLabel);
  return {
    name: 'cfg-pp',
    scale: lambda,
    guide: async (x, t, y) => {
      const [cond, uncond] = await condUncond(eps, x, t, y, nullLabel);
      try {
        return { eps: tf.tidy(() => tf.add(uncond, tf.mul(tf.sub(cond, uncond), lambda))), renoise: uncond };
      } finally {
        cond.dispose();
      }
    },
  };
}
