import * as tf from '@tensorflow/tfjs-core';

/**
 * Per-sample reductions over all of a sample's dimensions, shaped to broadcast against the batch
 * ([n, 1, …, 1]): the norms and inner products of APG, CFG-Zero* and guidance rescale.
 */
const keepShape = (a: tf.Tensor, v: tf.Tensor) => tf.reshape(v, [a.shape[0], ...a.shape.slice(1).map(() => 1)]);
const flat = (a: tf.Tensor) => tf.reshape(a, [a.shape[0], -1]);

export const dot = (a: tf.Tensor, b: tf.Tensor): tf.Tensor => keepShape(a, tf.sum(tf.mul(flat(a), flat(b)), 1));
export const norm = (a: tf.Tensor): tf.Tensor => tf.sqrt(dot(a, a));
/** Standard deviation over a sample's values (rescale uses a ratio of two, so the n vs n − 1 choice cancels). */
export const std = (a: tf.Tensor): tf.Tensor => keepShape(a, tf.sqrt(tf.moments(flat(a), 1).variance));
/** a / b with 0/0 (a zero vector) read as 0. */
export const safeDiv = (a: tf.Tensor, b: tf.Tensor): tf.Tensor => tf.div(a, tf.maximum(b, 1e-12));
