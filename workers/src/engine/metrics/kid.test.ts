import { describe, expect, it } from 'vitest';
import { fillNormal, mulberry32 } from '../random';
import { kernelInceptionDistance, polynomialKernel } from './kid';
import type { RowMatrix } from './linalg';

/** n draws from N(μ, I_d). */
function normals(n: number, mu: number[], seed: number): RowMatrix {
  const d = mu.length;
  const data = new Float64Array(n * d);
  fillNormal(data, mulberry32(seed));
  for (let i = 0; i < data.length; i++) data[i] += mu[i % d];
  return { data, rows: n, cols: d };
}

/**
 * Exact MMD² between N(0, I_d) and N(μ, I_d) under k(x,y) = (xᵀy/d + 1)³ = Σ_k C(3,k)(xᵀy)^k/d^k:
 * MMD² = Σ_k C(3,k)/d^k ‖M_k(P) − M_k(Q)‖² with M_k the k-th moment tensors; with a = ‖μ‖²,
 * ‖ΔM_1‖² = a, ‖ΔM_2‖² = a², ‖ΔM_3‖² = a³ + 6a² + (3d + 6)a.
 */
function exactMmd(d: number, a: number): number {
  return (3 * a) / d + (3 * a * a) / d ** 2 + (a ** 3 + 6 * a * a + (3 * d + 6) * a) / d ** 3;
}

describe('kernelInceptionDistance', () => {
  const d = 4;
  const shift = [0.5, 0, 0, 0];

  // 5000 + 5000 rows exceed the kernel-matrix cache, so this also covers the per-subset path.
  it('is unbiased: tiny subsets average to the exact MMD² (a biased V-statistic would be ~1 higher)', () => {
    const kid = kernelInceptionDistance(normals(5000, [0, 0, 0, 0], 1), normals(5000, shift, 2), { subsets: 3000, subsetSize: 10, seed: 3 });
    expect(exactMmd(d, 0.25)).toBeCloseTo(0.275635, 6); // 3/16 + 3/256 + (1/64 + 6/16 + 18/4)/64
    expect(Math.abs(kid.mean - exactMmd(d, 0.25))).toBeLessThan(4 * (kid.std / Math.sqrt(3000)));
  });

  it('is > 0 for shifted sets and near 0 for two samples of one distribution', () => {
    const real = normals(1000, [0, 0, 0, 0], 4);
    const shifted = kernelInceptionDistance(real, normals(1000, shift, 5), { subsets: 20, subsetSize: 500, seed: 6 });
    const same = kernelInceptionDistance(real, normals(1000, [0, 0, 0, 0], 7), { subsets: 20, subsetSize: 500, seed: 6 });
    expect(Math.abs(shifted.mean - exactMmd(d, 0.25)) / exactMmd(d, 0.25)).toBeLessThan(0.25);
    expect(Math.abs(same.mean)).toBeLessThan(0.05 * exactMmd(d, 0.25));
  });

  it('is ~0 for identical sets and deterministic by seed', () => {
    // Subsets of one finite set overlap, which leaves an O(1/N) offset (−2·(mean k(x,x) − mean k(x,x'))/N ≈ −0.01 here).
    const x = normals(2000, [0, 0, 0, 0], 8);
    const a = kernelInceptionDistance(x, x, { subsets: 20, subsetSize: 500, seed: 9 });
    expect(Math.abs(a.mean)).toBeLessThan(0.1 * exactMmd(d, 0.25));
    expect(kernelInceptionDistance(x, x, { subsets: 20, subsetSize: 500, seed: 9 })).toEqual(a);
  });

  it('matches a hand-computed case where subsets are the whole sets', () => {
    // d = 1, k(x,y) = (xy + 1)³; X = {0, 1}, Y = {0, 2}: within-set off-diagonal sums 2·k(0,1) = 2 and
    // 2·k(0,2) = 2; cross sum 1 + 1 + 1 + 27 = 30 → MMD²_u = (2 + 2)/2 − 2·30/4 = −13.
    const kid = kernelInceptionDistance({ data: Float64Array.from([0, 1]), rows: 2, cols: 1 }, { data: Float64Array.from([0, 2]), rows: 2, cols: 1 });
    expect(kid).toEqual({ mean: -13, std: 0 });
  });

  it('gives the same answer from the real set\'s kernel kept with the reference set', () => {
    const real = normals(300, shift, 1);
    const gen = normals(200, [0, 0, 0, 0], 2);
    const k = polynomialKernel(real);
    expect(k[0 * 300 + 7]).toBeCloseTo((Array.from({ length: d }, (_, c) => real.data[c] * real.data[7 * d + c]).reduce((a, b) => a + b) / d + 1) ** 3, 12);
    expect(kernelInceptionDistance(real, gen, { seed: 3, realKernel: k }).mean).toBeCloseTo(kernelInceptionDistance(real, gen, { seed: 3 }).mean, 12);
    expect(() => kernelInceptionDistance(real, gen, { realKernel: new Float64Array(4) })).toThrow(/realKernel must be the 300×300 kernel/);
  });

  it('names the problem in bad options', () => {
    const x = normals(10, [0, 0], 1);
    expect(() => kernelInceptionDistance(x, x, { subsetSize: 11 })).toThrow(/subsetSize must be a whole number from 2 to 10 \(the smaller set\), got 11/);
    expect(() => kernelInceptionDistance(x, normals(10, [0, 0, 0], 1))).toThrow(/feature dimensions differ \(2 vs 3\)/);
  });
});
