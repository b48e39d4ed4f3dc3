import { describe, expect, it } from 'vitest';
import { fillNormal, mulberry32 } from '../random';
import { frechetDistance, frechetFromStats, gaussianStats, type GaussianStats } from './fid';
import { fromArrays, type RowMatrix } from './linalg';

/** n draws of μ + L·z, z ~ N(0, I) (L lower-triangular, row-major d×d). */
function gaussianSamples(n: number, mu: number[], L: number[], seed: number): RowMatrix {
  const d = mu.length;
  const z = new Float64Array(n * d);
  fillNormal(z, mulberry32(seed));
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) {
      let v = mu[a];
      for (let b = 0; b <= a; b++) v += L[a * d + b] * z[i * d + b];
      data[i * d + a] = v;
    }
  }
  return { data, rows: n, cols: d };
}

const stats = (mu: number[], sigma: number[]): GaussianStats => ({ mu: Float64Array.from(mu), sigma: Float64Array.from(sigma), n: Infinity });

describe('frechetFromStats', () => {
  it('matches the 2×2 closed form for non-commuting covariances', () => {
    // Σ1 = [[2,1],[1,2]], Σ2 = diag(1,3): Σ1Σ2 ≠ Σ2Σ1. For 2×2, Tr√M = √(tr M + 2√det M) with
    // tr(Σ1Σ2) = 8, det = 3·3 = 9, so FID = ‖(1,2)‖² + 4 + 4 − 2√14.
    const fid = frechetFromStats(stats([0, 0], [2, 1, 1, 2]), stats([1, 2], [1, 0, 0, 3]));
    expect(fid).toBeCloseTo(13 - 2 * Math.sqrt(14), 12);
  });

  it('is (μ1 − μ2)² + (σ1 − σ2)² in one dimension and symmetric', () => {
    const a = stats([0.5], [4]);
    const b = stats([-1], [0.25]);
    expect(frechetFromStats(a, b)).toBeCloseTo(1.5 ** 2 + (2 - 0.5) ** 2, 12);
    expect(frechetFromStats(b, a)).toBeCloseTo(frechetFromStats(a, b), 12);
  });

  it('rejects statistics of different dimensions', () => {
    expect(() => frechetFromStats(stats([0], [1]), stats([0, 0], [1, 0, 0, 1]))).toThrow(/dimensions differ \(1 vs 2\)/);
  });
});

describe('frechetDistance', () => {
  it('is ~0 for identical sets, also when Σ is rank-deficient (N < d)', () => {
    for (const [n, d] of [[400, 64], [40, 64]]) {
      const x = gaussianSamples(n, new Array(d).fill(0.3), Array.from({ length: d * d }, (_, i) => (i % (d + 1) === 0 ? 1 : 0)), 7);
      const scale = Array.from({ length: d }, (_, a) => gaussianStats(x).sigma[a * d + a]).reduce((s, v) => s + v, 0);
      expect(Math.abs(frechetDistance(x, x)) / scale).toBeLessThan(1e-6);
    }
  });

  it('matches the closed form of the generating Gaussians within sampling error', () => {
    // Σ_r = L_r L_rᵀ and Σ_g = L_g L_gᵀ do not commute; exact value from frechetFromStats (checked above).
    const Lr = [1, 0, 0, 0.5, 1, 0, -0.3, 0.2, 0.8];
    const Lg = [0.7, 0, 0, -0.4, 1.2, 0, 0.6, 0.1, 0.5];
    const cov = (L: number[]) => Array.from({ length: 9 }, (_, k) => [0, 1, 2].reduce((s, m) => s + L[Math.floor(k / 3) * 3 + m] * L[(k % 3) * 3 + m], 0));
    const muR = [0, 0, 0];
    const muG = [1, -0.5, 0.25];
    const exact = frechetFromStats(stats(muR, cov(Lr)), stats(muG, cov(Lg)));
    const estimate = frechetDistance(gaussianSamples(4000, muR, Lr, 1), gaussianSamples(4000, muG, Lg, 2));
    expect(exact).toBeGreaterThan(1);
    expect(Math.abs(estimate - exact) / exact).toBeLessThan(0.05);
  });

  it('names the problem in bad input', () => {
    expect(() => frechetDistance(fromArrays([[1, 2]]), fromArrays([[1, 2], [3, 4]]))).toThrow(/gaussianStats\(features\): needs at least 2 rows, got 1/);
    expect(() => frechetDistance(fromArrays([[1], [NaN]]), fromArrays([[1], [2]]))).toThrow(/row 1, col 0 is NaN/);
    expect(() => fromArrays([[1, 2], [3]])).toThrow(/row 1 has 1 values, expected 2/);
  });

  it('takes plain arrays (rows = samples) as well as row matrices', () => {
    const a = [[0, 1], [2, 3], [4, 1], [1, 1]];
    const b = [[1, 0], [3, 3], [5, 2], [0, 2]];
    expect(frechetDistance(a, b)).toBe(frechetDistance(fromArrays(a), fromArrays(b)));
  });
});
