import type { NoiseSchedule } from '../types';
import { checkT, fromBetas } from './fromBetas';

/**
 * DDPM's linear schedule, β from 1e-4 to 0.02 over T = 1000 steps (Ho et al. 2020 §4). For other T
 * both ends are scaled by 1000/T (improved-diffusion's get_named_beta_schedule), so a short schedule
 * still ends near ᾱ_T ≈ 0.
 */
export function linearSchedule(T: number): NoiseSchedule {
  checkT(T);
  const scale = 1000 / T;
  const start = scale * 1e-4;
  const end = scale * 0.02;
  if (end >= 1) throw new Error(`linear schedule needs T ≥ 21 (β_T = 20/T must stay below 1), got T = ${T}`);
  const betas = new Float64Array(T);
  for (let i = 0; i < T; i++) betas[i] = start + ((end - start) * i) / (T - 1);
  return fromBetas('linear', betas);
}
