import { describe, expect, it } from 'vitest';
import { fillNormal, mulberry32 } from '../random';
import { fromArrays, type RowMatrix } from './linalg';
import { manifoldRadii, manifoldRadiiAt, precisionRecall } from './precisionRecall';

function normals(n: number, d: number, offset: number, seed: number): RowMatrix {
  const data = new Float64Array(n * d);
  fillNormal(data, mulberry32(seed));
  return { data: data.map((v) => v + offset), rows: n, cols: d };
}

describe('precisionRecall', () => {
  it('gives precision 1 for generated points that are a subset of the real ones', () => {
    const real = normals(400, 8, 0, 1);
    const subset = { data: real.data.slice(0, 100 * 8), rows: 100, cols: 8 };
    const { precision, recall } = precisionRecall(real, subset);
    expect(precision).toBe(1);
    expect(recall).toBeLessThan(1); // 100 points cannot cover all 400
  });

  it('gives 0 / 0 for far-apart sets', () => {
    expect(precisionRecall(normals(200, 8, 0, 2), normals(200, 8, 50, 3))).toEqual({ precision: 0, recall: 0 });
  });

  it('matches a hand-computed 1-D case', () => {
    // Real 0..9 has k=1 radii 1; generated {0.5, 3.2, 20} has radii 2.7, 2.7, 16.8.
    // Precision: 0.5 and 3.2 lie in real balls, 20 does not → 2/3.
    // Recall: every real point lies within 2.7 of 0.5 or 3.2 (0..5) or within 16.8 of 20 (4..9) → 1.
    const real = fromArrays(Array.from({ length: 10 }, (_, i) => [i]));
    const gen = fromArrays([[0.5], [3.2], [20]]);
    const { precision, recall } = precisionRecall(real, gen, 1);
    expect(precision).toBeCloseTo(2 / 3, 12);
    expect(recall).toBe(1);
  });

  it('gives the same answer from radii kept with the reference set', () => {
    const real = normals(300, 4, 0, 6);
    const gen = normals(200, 4, 0.3, 7);
    expect(Array.from(manifoldRadii(fromArrays(Array.from({ length: 10 }, (_, i) => [i])), 1))).toEqual(Array(10).fill(1));
    expect(precisionRecall(real, gen, 3, manifoldRadii(real, 3))).toEqual(precisionRecall(real, gen, 3));
    expect(() => precisionRecall(real, gen, 3, new Float64Array(5))).toThrow(/realRadii has 5 entries for 300 real points/);
  });

  it('gives the radii of several k from one pass, in the order asked, and names a bad k', () => {
    // Squared distances on 1-D points 0, 1, 3, 6, 10, counted by hand (each row sorted).
    const points = fromArrays([[0], [1], [3], [6], [10]]);
    const byK = manifoldRadiiAt(points, [3, 1, 2]).map((r) => Array.from(r));
    expect(byK).toEqual([
      [36, 25, 9, 25, 81],
      [1, 1, 4, 9, 16],
      [9, 4, 9, 16, 49],
    ]);
    expect(() => manifoldRadiiAt(points, [3, 5])).toThrow(/k must be a whole number from 1 to 4 \(set size − 1\), got 5/);
  });

  it('is near 1 / 1 for two samples of one distribution, and names a bad k', () => {
    const { precision, recall } = precisionRecall(normals(500, 4, 0, 4), normals(500, 4, 0, 5));
    expect(precision).toBeGreaterThan(0.9);
    expect(recall).toBeGreaterThan(0.9);
    expect(() => precisionRecall(normals(3, 2, 0, 1), normals(5, 2, 0, 1), 3)).toThrow(/k must be a whole number from 1 to 2/);
  });
});
