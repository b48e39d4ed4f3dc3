import type { NoiseSchedule } from '../types';

/** Completes a schedule from its β: α_i = 1 − β_i, ᾱ_i = Π_{j≤i} α_j (DDPM §2). */
export function fromBetas(kind: NoiseSchedule['kind'], betas: Float64Array): NoiseSchedule {
  const T = betas.length;
  const alphas = new Float64Array(T);
  const alphasCumprod = new Float64Array(T);
  let prod = 1;
  for (let i = 0; i < T; i++) {
    alphas[i] = 1 - betas[i];
    prod *= alphas[i];
    alphasCumprod[i] = prod;
  }
  return { kind, T, betas, alphas, alphasCumprod };
}

export function checkT(T: number): void {
  if (!Number.isInteger(T) || T < 2 || T > 100_000) throw new Error(`schedule T must be a whole number from 2 to 100000, got ${T}`);
}
