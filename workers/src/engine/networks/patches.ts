/**
 * Space-to-depth for image networks: with patch p a network's first level sees p×p patches as
 * pixels, so its convolutions cost 1/p² as much per channel pair (the U-Net ε-net and the classifiers).
 */
import * as tf from '@tensorflow/tfjs-core';

/** Pads H and W up to a multiple of `m`; returns the padded tensor and the crop back. */
export function padToMultiple(x: tf.Tensor4D, m: number): { padded: tf.Tensor4D; crop: (y: tf.Tensor4D) => tf.Tensor4D } {
  const [n, h, w, c] = x.shape;
  const [ph, pw] = [Math.ceil(h / m) * m - h, Math.ceil(w / m) * m - w];
  if (ph === 0 && pw === 0) return { padded: x, crop: (y) => y };
  const top = Math.floor(ph / 2);
  const left = Math.floor(pw / 2);
  const padded = tf.pad(x, [[0, 0], [top, ph - top], [left, pw - left], [0, 0]]);
  return { padded, crop: (y) => tf.slice(y, [0, top, left, 0], [n, h, w, y.shape[3]]) };
}

/**
 * Space-to-depth: [N, H, W, C] → [N, H/p, W/p, p·p·C], each output pixel holding its p×p patch
 * (row-major within the patch, channels innermost). Reshapes and one transpose, so it is exact.
 */
export function patchify(x: tf.Tensor4D, p: number): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const blocks = tf.transpose(tf.reshape(x, [n, h / p, p, w / p, p, c]), [0, 1, 3, 2, 4, 5]);
  return tf.reshape(blocks, [n, h / p, w / p, p * p * c]);
}

/** Pixel shuffle, the inverse of `patchify`: [N, h, w, p·p·C] → [N, h·p, w·p, C]. */
export function unpatchify(x: tf.Tensor4D, p: number): tf.Tensor4D {
  const [n, h, w, pc] = x.shape;
  const c = pc / (p * p);
  const blocks = tf.transpose(tf.reshape(x, [n, h, w, p, p, c]), [0, 1, 3, 2, 4, 5]);
  return tf.reshape(blocks, [n, h * p, w * p, c]);
}
