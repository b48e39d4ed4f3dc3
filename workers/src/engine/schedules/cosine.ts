import type { NoiseSchedule } from '../types';
import { checkT, fromBetas } from './fromBetas';

/** Offset s of the cosine schedule (Nichol & Dhariwal 2021 §3.2). */
const S = 0.008;
/** β cap that avoids the singularity near t = T (Nichol & Dhariwal 2021 §3.2). */
const MAX_BETA = 0.999;

/** f(t) = cos²(((t/T + s)/(1 + s))·π/2) (Nichol & Dhariwal 2021 eq. 17); ᾱ_t = f(t)/f(0). */
export function cosineAlphaBar(t: number, T: number): number {
  return Math.cos(((t / T + S) / (1 + S)) * (Math.PI / 2)) ** 2;
}

/** The cosine schedule: β_t = min(1 − ᾱ_t/ᾱ_{t−1}, 0.999), so ᾱ follows f(t)/f(0) wherever β is not capped. */
export function cosineSchedule(T: number): NoiseSchedule {
  checkT(T);
  const betas = new Float64Array(T);
  for (let i = 0; i < T; i++) betas[i] = Math.min(1 - cosineAlphaBar(i + 1, T) / cosineAlphaBar(i, T), MAX_BETA);
  return fromBetas('cosine', betas);
}
