import type { Interval, ScaleSchedule } from '@guidance-lab/experiments/methods';
import type { StepAt } from '../types';

/** The modifiers of classifier-free, classifier and autoguidance. */
export interface Modifiers {
  /** Guide only while σ_t ∈ [σ_lo, σ_hi] (Kynkäänniemi et al. 2024); null or absent = every σ. */
  interval?: Interval | null;
  /** How the scale varies over the sampler's steps (Wang et al. 2024); its mean stays s. */
  schedule?: ScaleSchedule;
}

/** σ_t = √((1−ᾱ_t)/ᾱ_t), the EDM noise level of a VP step. */
export const noiseLevel = (alphaBar: number) => Math.sqrt((1 - alphaBar) / alphaBar);

/** Unnormalised schedule weight at step k of S (k = 0 noisiest): rising as noise falls. */
function weight(schedule: ScaleSchedule, k: number, steps: number): number {
  const u = (k + 0.5) / steps;
  if (schedule === 'linear') return u;
  if (schedule === 'cosine') return 1 - Math.cos(Math.PI * u);
  return 1;
}

/** s_k = s·w_k / mean_j w_j over the sampler's S steps, so the mean scale over the steps is exactly s. */
export function scheduledScale(schedule: ScaleSchedule, scale: number, k: number, steps: number): number {
  let mean = 0;
  for (let j = 0; j < steps; j++) mean += weight(schedule, j, steps) / steps;
  return (scale * weight(schedule, k, steps)) / mean;
}

/** The scale to guide with at this step, or null outside the guidance interval (do not guide). */
export function scaleAt(scale: number, mods: Modifiers, at: StepAt): number | null {
  if (mods.interval) {
    const sigma = noiseLevel(at.alphaBar);
    if (sigma < mods.interval[0] || sigma > mods.interval[1]) return null;
  }
  return scheduledScale(mods.schedule ?? 'constant', scale, at.k, at.steps);
}
