import { fillNormal, hashSeed, mulberry32 } from '../random';

/** Step key of the initial noise x_T (timestep keys are 0..T−1). */
export const PRIOR_STEP = -1;

/**
 * Standard normals for samples first..first+n−1 at one step, `dim` per sample. Each sample's draw
 * is its own stream keyed by (seed, sample index, step), so it does not depend on the batch it is
 * in or on the guidance scale: grids at different scales compare point by point.
 */
export function stepNoise(seed: number, first: number, n: number, dim: number, step: number): Float32Array {
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) fillNormal(out, mulberry32(hashSeed(seed, first + i, step)), i * dim, dim);
  return out;
}
