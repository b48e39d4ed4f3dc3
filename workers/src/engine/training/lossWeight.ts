/**
 * Per-sample weights of the ε-loss. Min-SNR-γ (Hang et al. 2023, §3.4): for ε-prediction the weight
 * of timestep t is min(SNR_t, γ)/SNR_t with SNR_t = ᾱ_t/(1 − ᾱ_t) — 1 where the noise dominates
 * (SNR ≤ γ), γ/SNR_t on the low-noise steps, whose large, conflicting gradients otherwise slow the
 * learning of the coarse structure (here: which digit). The weights are a batch input of the step,
 * so the tfjs and onnxruntime engines run the same loss.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NoiseSchedule } from '../types';

/** min(SNR_t, γ)/SNR_t for each timestep index in `t`. */
export function minSnrWeights(schedule: NoiseSchedule, t: Int32Array, gamma: number): Float32Array {
  return Float32Array.from(t, (ti) => {
    const ab = schedule.alphasCumprod[ti];
    const snr = ab / (1 - ab);
    return Math.min(snr, gamma) / snr;
  });
}

/** mean_i w_i·mean_j (ε_ij − ε̂_ij)²: the ε-loss with per-sample weights `w` [B] (null: all 1). */
export function weightedEpsLoss(eps: tf.Tensor, predicted: tf.Tensor, w: tf.Tensor | null): tf.Scalar {
  const sq = tf.squaredDifference(eps, predicted);
  if (!w) return tf.mean(sq);
  return tf.mean(tf.mul(sq, tf.reshape(w, [w.shape[0], ...Array(eps.rank - 1).fill(1)])));
}
