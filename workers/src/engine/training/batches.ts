/**
 * Minibatch draws keyed by (seed, step): every random choice of a step (rows, timesteps, noise, label
 * dropout) comes from its own stream, so a resumed run draws exactly what the uninterrupted one did.
 */
import { fillNormal, hashSeed, mulberry32 } from '../random';
import type { LabelledData, NoiseSchedule } from '../types';

export interface Batch {
  /** Clean or noised inputs x_t, B·dim values. */
  x: Float32Array;
  /** The noise ε used to make x_t (zeros when clean). */
  eps: Float32Array;
  /** Timestep indices 0..T−1 (zeros when clean). */
  t: Int32Array;
  /** Labels, with dropped ones replaced by the null label K. */
  y: Int32Array;
}

const dimOf = (data: LabelledData) => data.shape.reduce((a, b) => a * b, 1);

/**
 * Draws B rows uniformly with replacement; with a schedule, t ~ U{0..T−1} and
 * x_t = √ᾱ_t·x₀ + √(1−ᾱ_t)·ε (DDPM eq. 4); each label becomes ∅ = K with probability pUncond (Ho & Salimans Alg. 1).
 */
export function drawBatch(data: LabelledData, schedule: NoiseSchedule | null, batchSize: number, pUncond: number, seed: number, step: number): Batch {
  const rand = mulberry32(hashSeed(seed, step));
  const dim = dimOf(data);
  const n = data.y.length;
  const x = new Float32Array(batchSize * dim);
  const eps = new Float32Array(batchSize * dim);
  const t = new Int32Array(batchSize);
  const y = new Int32Array(batchSize);
  if (schedule) fillNormal(eps, rand);
  for (let b = 0; b < batchSize; b++) {
    const row = Math.floor(rand() * n);
    y[b] = rand() < pUncond ? data.classes : data.y[row];
    const src = data.x.subarray(row * dim, (row + 1) * dim);
    if (!schedule) {
      x.set(src, b * dim);
      continue;
    }
    t[b] = Math.floor(rand() * schedule.T);
    const ab = schedule.alphasCumprod[t[b]];
    const [a, s] = [Math.sqrt(ab), Math.sqrt(1 - ab)];
    for (let i = 0; i < dim; i++) x[b * dim + i] = a * src[i] + s * eps[b * dim + i];
  }
  return { x, eps, t, y };
}
