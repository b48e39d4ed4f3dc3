import * as tf from '@tensorflow/tfjs-core';
import type { EpsFn, GuidanceRule } from '../types';
import { checkScale } from './checkScale';
import { checkNullLabel, condUncond } from './pairEps';
import { dot, norm, safeDiv } from './perSample';

export interface ApgOptions {
  /** Weight η of the guidance direction's part parallel to ε_c (0 drops it). */
  eta: number;
  /** Norm cap r on the guidance direction; 0 = no cap. */
  normThreshold: number;
  /** Reverse momentum β (< 0 in the paper): Δ ← Δ + β·Δ_avg. */
  momentum: number;
}

/**
 * Adaptive projected guidance (Sadat et al. 2024, arXiv 2410.02416): Δ = ε_c − ε_u, with momentum
 * and a norm cap, split into Δ∥ (along ε_c) and Δ⊥; ε̂ = ε_c + (s−1)(Δ⊥ + η·Δ∥). η = 1, no cap and
 * β = 0 is plain CFG. The momentum average is per sampling batch: it restarts at the chain's first step and is
 * freed when the chain ends (`endChain`).
 */
export function adaptiveProjected(eps: EpsFn, scale: number, nullLabel: number, opts: ApgOptions): GuidanceRule {
  checkScale(scale);
  checkNullLabel('apg', nullLabel);
  const { eta, normThreshold, momentum } = opts;
  if (!(eta >= 0 && eta <= 1)) throw new Error(`apg eta must be a number from 0 to 1, got ${eta}`);
  if (!(normThreshold >= 0)) throw new Error(`apg normThreshold must be a number ≥ 0 (0 = no cap), got ${normThreshold}`);
  if (!(momentum > -1 && momentum < 1)) throw new Error(`apg momentum must be a number between −1 and 1, got ${momentum}`);
  let average: tf.Tensor | null = null;
  return {
    name: 'apg',
    scale,
    guide: async (x, t, y, at) => {
      if (at.k === 0 && average) {
        average.dispose();
        average = null;
      }
      const [cond, uncond] = await condUncond(eps, x, t, y, nullLabel);
      try {
        return {
          eps: tf.tidy(() => {
            let delta = tf.sub(cond, uncond);
            if (momentum !== 0) {
              delta = average ? tf.add(delta, tf.mul(average, momentum)) : delta;
              average?.dispose();
              average = tf.keep(delta);
            }
            if (normThreshold > 0) delta = tf.mul(delta, tf.minimum(1, safeDiv(tf.scalar(normThreshold), norm(delta))));
            const parallel = tf.mul(safeDiv(dot(delta, cond), dot(cond, cond)), cond);
            const orthogonal = tf.sub(delta, parallel);
            return tf.add(cond, tf.mul(tf.add(orthogonal, tf.mul(parallel, eta)), scale - 1));
          }),
        };
      } finally {
        tf.dispose([cond, uncond]);
      }
    },
    // Freed by the sampler's loop rather than at the last step, so an aborted or failed chain does not leak it.
    endChain: () => {
      average?.dispose();
      average = null;
    },
  };
}
