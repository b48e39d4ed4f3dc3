import * as tf from '@tensorflow/tfjs-core';
import { safeDiv, std } from './perSample';

/**
 * Guidance rescale (Lin et al. 2023, diffusers `rescale_noise_cfg`): ε_r = ε_cfg·std(ε_c)/std(ε_cfg)
 * per sample, then φ·ε_r + (1−φ)·ε_cfg. It undoes the variance blow-up of large scales.
 */
export function rescaled(cond: tf.Tensor, guided: tf.Tensor, phi: number): tf.Tensor {
  if (phi === 0) return tf.clone(guided);
  const r = tf.mul(guided, safeDiv(std(cond), std(guided)));
  return tf.add(tf.mul(r, phi), tf.mul(guided, 1 - phi));
}
