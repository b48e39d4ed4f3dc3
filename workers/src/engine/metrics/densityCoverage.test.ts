import { describe, expect, it } from 'vitest';
import { fillNormal, mulberry32 } from '../random';
import { densityCoverage } from './densityCoverage';
import { fromArrays, type RowMatrix } from './linalg';
import { manifoldRadii } from './precisionRecall';

function normals(n: number, d: number, offset: number, seed: number): RowMatrix {
  const data = new Float64Array(n * d);
  fillNormal(data, mulberry32(seed));
  return { data: data.map((v) => v + offset), rows: n, cols: d };
}

describe('densityCoverage (Naeem et al. 2020)', () => {
  // Real 1-D points 0, 1, 3, 6, 10 with k = 2: distances to the 2nd nearest other point are
  // 3, 2, 3, 4, 7, so the balls are [−3, 3], [−1, 3], [0, 6], [2, 10], [3, 17].
  const real = fromArrays([[0], [1], [3], [6], [10]]);

  it('matches a hand count on 1-D points, k = 2', () => {
    // 0.5 lies in the balls of 0, 1 and 3; 12 only in 10's; 20 in none → density (3 + 1 + 0) / (2·3).
    // Covered balls: 0, 1, 3 (by 0.5) and 10 (by 12); 6's ball [2, 10] holds none → coverage 4/5.
    const { density, coverage } = densityCoverage(real, fromArrays([[0.5], [12], [20]]), 2);
    expect(density).toBeCloseTo(4 / 6, 12);
    expect(coverage).toBeCloseTo(4 / 5, 12);
  });

  it('rises above 1 when samples crowd a dense region, while coverage stays low', () => {
    // Three copies of 1, each in the balls of 0, 1 and 3 → density 9 / (2·3) = 1.5; coverage 3/5.
    const { density, coverage } = densityCoverage(real, fromArrays([[1], [1], [1]]), 2);
    expect(density).toBeCloseTo(1.5, 12);
    expect(coverage).toBeCloseTo(0.6, 12);
  });

  it('matches a hand count in 2-D at k = 5, boundaries included', () => {
    // Six real points; with k = 5 each radius is the distance to the farthest other point:
    // (0,0) → 2² = 4, (1,0) and (0,1) → √5² = 5, (1,1) → √2² = 2, (2,0) and (0,2) → √8² = 8.
    const real2 = fromArrays([[0, 0], [1, 0], [0, 1], [1, 1], [2, 0], [0, 2]]);
    expect([...manifoldRadii(real2, 5)]).toEqual([4, 5, 5, 2, 8, 8]);
    // (−1,−1) is at squared distance 2, 5, 5, 8, 10, 10: inside the balls of (0,0), (1,0), (0,1) → 3.
    // (3,3) is at 18, 13, 13, 8, 10, 10: inside none. Density 3 / (5·2); coverage 3/6.
    const { density, coverage } = densityCoverage(real2, fromArrays([[-1, -1], [3, 3]]), 5);
    expect(density).toBeCloseTo(0.3, 12);
    expect(coverage).toBeCloseTo(0.5, 12);
  });

  it('scores samples from the real distribution near density 1 and coverage 1 − 2⁻ᵏ, and far samples 0 / 0', () => {
    // For identically distributed sets a real ball holds no sample with probability ≈ (1/2)^k.
    const real3 = normals(600, 4, 0, 1);
    const same = densityCoverage(real3, normals(600, 4, 0, 2), 5);
    expect(same.density).toBeGreaterThan(0.85);
    expect(same.density).toBeLessThan(1.15);
    expect(same.coverage).toBeGreaterThan(0.9);
    expect(densityCoverage(real3, normals(200, 4, 50, 3), 5)).toEqual({ density: 0, coverage: 0 });
  });

  it('uses radii the caller passes, and names mismatched inputs', () => {
    const gen = fromArrays([[0.5], [12], [20]]);
    expect(densityCoverage(real, gen, 2, manifoldRadii(real, 2))).toEqual(densityCoverage(real, gen, 2));
    expect(() => densityCoverage(real, fromArrays([[0, 0]]), 2)).toThrow(/feature dimensions differ/);
    expect(() => densityCoverage(real, gen, 2, new Float64Array(3))).toThrow(/realRadii has 3 entries for 5 real points/);
  });
});
