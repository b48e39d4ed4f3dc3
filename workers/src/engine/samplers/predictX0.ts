import * as tf from '@tensorflow/tfjs-core';
import { dynamicThreshold } from './threshold';

/** How x̂₀ is bounded: static clip to [−clip, clip], dynamic thresholding at `threshold` (a percentile, which replaces the clip), or neither. */
export interface X0Bound {
  clip: number | null;
  threshold: number | null;
}

export const isBounded = ({ clip, threshold }: X0Bound) => clip !== null || threshold !== null;

/** x̂₀ = (x_t − √(1−ᾱ_t)·ε)/√ᾱ_t (DDPM eq. 15 solved for x₀), then bounded. */
export function predictX0(x: tf.Tensor, eps: tf.Tensor, alphaBar: number, bound: X0Bound): tf.Tensor {
  const x0 = tf.div(tf.sub(x, tf.mul(eps, Math.sqrt(1 - alphaBar))), Math.sqrt(alphaBar));
  if (bound.threshold !== null) return dynamicThreshold(x0, bound.threshold);
  return bound.clip === null ? x0 : tf.clipByValue(x0, -bound.clip, bound.clip);
}
