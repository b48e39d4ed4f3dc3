import * as tf from '@tensorflow/tfjs-core';

/** x̂₀ = (x_t − √(1−ᾱ_t)·ε)/√ᾱ_t (DDPM eq. 15 solved for x₀), optionally clipped to [−clip, clip]. */
export function predictX0(x: tf.Tensor, eps: tf.Tensor, alphaBar: number, clip: number | null): tf.Tensor {
  const x0 = tf.div(tf.sub(x, tf.mul(eps, Math.sqrt(1 - alphaBar))), Math.sqrt(alphaBar));
  return clip === null ? x0 : tf.clipByValue(x0, -clip, clip);
}
