/**
 * Exponential moving average of the weights, used for sampling (DDPM §4 / ADM). The decay is warmed up as
 * min(decay, (1+n)/(10+n)) after n updates (TensorFlow's ExponentialMovingAverage with num_updates), so that
 * short runs are not dominated by the random initial weights.
 */
import * as tf from '@tensorflow/tfjs-core';

export const emaDecayAt = (decay: number, updates: number): number => Math.min(decay, (1 + updates) / (10 + updates));

/** ema ← d·ema + (1−d)·θ, with d and 1−d as tensors (one exported graph serves every step; call inside tidy). */
export const emaUpdate = (ema: tf.Tensor, theta: tf.Tensor, d: { keep: tf.Scalar; take: tf.Scalar }): tf.Tensor => tf.add(tf.mul(ema, d.keep), tf.mul(theta, d.take));
