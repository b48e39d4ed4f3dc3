import * as tf from '@tensorflow/tfjs-core';
import type { EpsFn, GuidanceRule } from '../types';
import { checkScale } from './checkScale';
import { checkNullLabel, condUncond } from './pairEps';
import { rescaled } from './rescale';
import { scaleAt, type Modifiers } from './scaleAt';

export interface ClassifierFreeOptions extends Modifiers {
  /** Guidance rescale φ ∈ [0, 1] (Lin et al. 2023); 0 = plain CFG. */
  rescale?: number;
}

/**
 * Classifier-free guidance (Ho & Salimans 2022 eq. 6, in GLIDE's scale s = 1 + w):
 * ε̄ = ε(x,t,∅) + s·(ε(x,t,y) − ε(x,t,∅)). Both branches run in one forward pass on [x; x] with
 * labels [y; ∅]. Outside a guidance interval only ε(x,t,y) is computed (no unconditional pass).
 */
export function classifierFree(eps: EpsFn, scale: number, nullLabel: number, opts: ClassifierFreeOptions = {}): GuidanceRule {
  checkScale(scale);
  checkNullLabel('classifier-free', nullLabel);
  const phi = opts.rescale ?? 0;
  if (!(phi >= 0 && phi <= 1)) throw new Error(`classifier-free rescale must be a number from 0 to 1, got ${phi}`);
  return {
    name: 'classifier-free',
    scale,
    guide: async (x, t, y, at) => {
      const s = scaleAt(scale, opts, at);
      if (s === null) return { eps: await eps(x, t, y) };
      const [cond, uncond] = await condUncond(eps, x, t, y, nullLabel);
      try {
        return { eps: tf.tidy(() => rescaled(cond, tf.add(uncond, tf.mul(tf.sub(cond, uncond), s)), phi)) };
      } finally {
        tf.dispose([cond, uncond]);
      }
    },
  };
}
