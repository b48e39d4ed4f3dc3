import * as tf from '@tensorflow/tfjs-core';

/**
 * Imagen's dynamic thresholding (Saharia et al. 2022): q = max(1, quantile_p(|x̂₀|)) per sample,
 * x̂₀ ← clip(x̂₀, −q, q)/q. The quantile interpolates linearly between order statistics (as
 * torch.quantile does). Unlike diffusers' default `sample_max_value = 1`, q is not capped.
 */
export function dynamicThreshold(x0: tf.Tensor, percentile: number): tf.Tensor {
  const n = x0.shape[0];
  const d = x0.size / n;
  const abs = tf.abs(tf.reshape(x0, [n, d]));
  // Position (d−1)·p in ascending order is (d−1)·(1−p) in the descending order top-k returns.
  const pos = (d - 1) * (1 - percentile);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, d - 1);
  const top = tf.topk(abs, hi + 1).values;
  const a = tf.slice(top, [0, lo], [n, 1]);
  const b = tf.slice(top, [0, hi], [n, 1]);
  const q = tf.maximum(tf.add(a, tf.mul(tf.sub(b, a), pos - lo)), 1);
  const qb = tf.reshape(q, [n, ...x0.shape.slice(1).map(() => 1)]);
  return tf.div(tf.minimum(tf.maximum(x0, tf.neg(qb)), qb), qb);
}
