import * as tf from '@tensorflow/tfjs-core';
import type { EpsFn, GuidanceRule } from '../types';
import { checkScale } from './checkScale';
import { scaleAt, type Modifiers } from './scaleAt';

/**
 * Autoguidance (Karras et al. 2024): ε̂ = ε_g(x,t,y) + s·(ε(x,t,y) − ε_g(x,t,y)), where the guide
 * ε_g is a separately trained, smaller and shorter-trained conditional ε-net with the same
 * condition. Outside a guidance interval only the main model runs.
 */
export function autoguidance(eps: EpsFn, guideEps: EpsFn, scale: number, mods: Modifiers = {}): GuidanceRule {
  checkScale(scale);
  return {
    name: 'autoguidance',
    scale,
    guide: async (x, t, y, at) => {
      const s = scaleAt(scale, mods, at);
      const cond = await eps(x, t, y);
      if (s === null) return { eps: cond };
      let weak: tf.Tensor;
      try {
        weak = await guideEps(x, t, y);
      } catch (error) {
        cond.dispose();
        throw error;
      }
      try {
        return { eps: tf.tidy(() => tf.add(weak, tf.mul(tf.sub(cond, weak), s))) };
      } finally {
        tf.dispose([cond, weak]);
      }
    },
  };
}
