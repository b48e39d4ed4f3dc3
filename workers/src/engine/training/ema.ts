/**
 * Exponential moving average of the weights, used for sampling (DDPM §4 / ADM). The decay is warmed up as
 * min(decay, (1+n)/(10+n)) after n updates (TensorFlow's ExponentialMovingAverage with num_updates), so that
 * short runs are not dominated by the random initial weights.
 */
import * as tf from '@tensorflow/tfjs-core';

export const emaDecayAt = (decay: number, updates: number): number => Math.min(decay, (1 + updates) / (10 + updates));

/** ema ← d·ema + (1−d)·θ (call inside tidy). */
export const emaUpdate = (ema: tf.Tensor, theta: tf.Tensor, d: number): tf.Tensor => tf.add(tf.mul(ema, d), tf.mul(theta, 1 - d));
