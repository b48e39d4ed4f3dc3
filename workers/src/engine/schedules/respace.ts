import type { NoiseSchedule } from '../types';

/**
 * A schedule respaced to S sampling steps, in sampling order (k = 0 is the noisiest step). Entry k
 * describes the move from original timestep `timesteps[k]` to `timesteps[k + 1]` (or to x₀ after
 * the last entry), as guided-diffusion's SpacedDiffusion builds it.
 */
export interface RespacedSchedule {
  /** Original-schedule indices, descending, starting at T − 1: what models and classifiers see. */
  timesteps: Int32Array;
  /** ᾱ at timesteps[k]. */
  alphasCumprod: Float64Array;
  /** ᾱ at timesteps[k + 1], and 1 after the last step. */
  alphasCumprodPrev: Float64Array;
  /** β'_k = 1 − ᾱ_k/ᾱ_prev,k: the one-step β of the respaced chain. */
  betas: Float64Array;
  /** β̃_k = (1 − ᾱ_prev)/(1 − ᾱ)·β'_k: the posterior variance of q(x_prev | x_t, x₀) (DDPM eq. 7). */
  posteriorVariance: Float64Array;
}

/** S evenly spaced original timesteps from T − 1 down to 0 (S = T keeps every step). */
export function respace(schedule: NoiseSchedule, S: number): RespacedSchedule {
  const { T } = schedule;
  if (!Number.isInteger(S) || S < 1 || S > T) throw new Error(`sampling steps must be a whole number from 1 to T (${T}), got ${S}`);
  const timesteps = new Int32Array(S);
  // round(k·(T−1)/(S−1)) is strictly increasing when S ≤ T since the spacing is ≥ 1.
  for (let k = 0; k < S; k++) timesteps[k] = S === 1 ? T - 1 : Math.round(((S - 1 - k) * (T - 1)) / (S - 1));
  const alphasCumprod = new Float64Array(S);
  const alphasCumprodPrev = new Float64Array(S);
  const betas = new Float64Array(S);
  const posteriorVariance = new Float64Array(S);
  for (let k = 0; k < S; k++) {
    const abar = schedule.alphasCumprod[timesteps[k]];
    const abarPrev = k + 1 < S ? schedule.alphasCumprod[timesteps[k + 1]] : 1;
    alphasCumprod[k] = abar;
    alphasCumprodPrev[k] = abarPrev;
    betas[k] = 1 - abar / abarPrev;
    posteriorVariance[k] = ((1 - abarPrev) / (1 - abar)) * betas[k];
  }
  return { timesteps, alphasCumprod, alphasCumprodPrev, betas, posteriorVariance };
}
