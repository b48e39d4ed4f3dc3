/**
 * Per-sample weights of the ε-loss. Min-SNR-γ (Hang et al. 2023, §3.4): for ε-prediction the weight
 * of timestep t is min(SNR_t, γ)/SNR_t with SNR_t = ᾱ_t/(1 − ᾱ_t) — 1 where the noise dominates
 * (SNR ≤ γ), γ/SNR_t on the low-noise steps, whose large, conflicting gradients otherwise slow the
 * learning of the coarse structure (here: which digit). The weights are a batch input of the step,
 * so the tfjs and onnxruntime engines run the same loss. Truncated-SNR (Salimans & Ho 2022, §4) adds a
 * floor: weight λ/SNR_t where the noise dominates, as in the x₀- or v-loss, so the class, decided there,
 * is learnt sooner.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { SweepSpec } from '@guidance-lab/experiments/spec';
import type { NoiseSchedule } from '../types';

/** The spec's loss-weighting fields: min-SNR-γ's ceiling, the truncated-SNR floor λ and its bound. */
export type LossWeighting = Pick<SweepSpec['training'], 'minSnrGamma' | 'snrFloor' | 'maxLossWeight'>;

/** Whether the loss is weighted at all (the bound alone is refused by the spec). */
export const isWeighted = (w: LossWeighting): boolean => w.minSnrGamma !== undefined || w.snrFloor !== undefined;

/**
 * clamp(SNR_t, λ, γ)/SNR_t, at most `maxLossWeight`, for each timestep index in `t`: the loss's weight
 * in x₀ terms is SNR_t clamped to [λ, γ] (absent: 0 and ∞). λ lifts the high-noise steps, where the
 * ε-loss weighs x₀'s errors by SNR_t ≈ 0; the bound keeps the last steps (SNR ≈ 10⁻⁹) from swamping
 * the batch.
 */
export function snrWeights(schedule: NoiseSchedule, t: Int32Array, w: LossWeighting): Float32Array {
  const { minSnrGamma: gamma = Infinity, snrFloor: floor = 0, maxLossWeight: bound = Infinity } = w;
  return Float32Array.from(t, (ti) => {
    const ab = schedule.alphasCumprod[ti];
    const snr = ab / (1 - ab);
    return Math.min(bound, Math.max(Math.min(snr, gamma), floor) / snr);
  });
}

/** mean_i w_i·mean_j (ε_ij − ε̂_ij)²: the ε-loss with per-sample weights `w` [B] (null: all 1). */
export function weightedEpsLoss(eps: tf.Tensor, predicted: tf.Tensor, w: tf.Tensor | null): tf.Scalar {
  const sq = tf.squaredDifference(eps, predicted);
  if (!w) return tf.mean(sq);
  return tf.mean(tf.mul(sq, tf.reshape(w, [w.shape[0], ...Array(eps.rank - 1).fill(1)])));
}
