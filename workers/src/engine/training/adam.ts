/**
 * Adam (Kingma & Ba 2015, Alg. 1) on plain tensors. Written out rather than tf.train.adam because the
 * whole state (m, v and the step count t) must round-trip through a checkpoint bit for bit: tfjs's
 * optimizer rebuilds its β^t accumulators with pow() on restore, which differs from the running product
 * in the last bit and breaks exact resumption.
 */
import * as tf from '@tensorflow/tfjs-core';

export const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const;

/** The bias corrections 1 − β₁ᵗ and 1 − β₂ᵗ of step t (1-based). */
export const adamBias = (t: number): [number, number] => [1 - ADAM.beta1 ** t, 1 - ADAM.beta2 ** t];

/**
 * One update: m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; θ ← θ − α·m̂/(√v̂ + ε) with m̂ = m/(1−β₁ᵗ),
 * v̂ = v/(1−β₂ᵗ). The corrections and the step's learning rate come in as tensors (`adamBias`, learningRate.ts), so one exported graph serves every
 * step. Returns new tensors (call inside tidy).
 */
export function adamUpdate(
  theta: tf.Tensor,
  grad: tf.Tensor,
  m: tf.Tensor,
  v: tf.Tensor,
  bias: { m: tf.Scalar; v: tf.Scalar },
  learningRate: tf.Scalar,
): { theta: tf.Tensor; m: tf.Tensor; v: tf.Tensor } {
  const { beta1, beta2, epsilon } = ADAM;
  const m1 = tf.add(tf.mul(m, beta1), tf.mul(grad, 1 - beta1));
  const v1 = tf.add(tf.mul(v, beta2), tf.mul(tf.square(grad), 1 - beta2));
  const mHat = tf.div(m1, bias.m);
  const vHat = tf.div(v1, bias.v);
  return { theta: tf.sub(theta, tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), epsilon)), learningRate)), m: m1, v: v1 };
}
