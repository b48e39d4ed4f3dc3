import { describe, expect, it } from 'vitest';
import { adherence } from './adherence';
import { inceptionScore } from './inceptionScore';
import { fromArrays, type RowMatrix } from './linalg';

const oneHot = (labels: number[], k: number): RowMatrix => fromArrays(labels.map((l) => Array.from({ length: k }, (_, c) => (c === l ? 1 : 0))));

describe('inceptionScore', () => {
  it('is K for a perfect classifier on K balanced classes, with no spread across splits', () => {
    const { mean, std } = inceptionScore(oneHot(Array.from({ length: 1000 }, (_, i) => i % 10), 10), 10);
    expect(mean).toBeCloseTo(10, 10);
    expect(std).toBeCloseTo(0, 10);
  });

  it('is 1 for a uniform classifier', () => {
    expect(inceptionScore(fromArrays(Array.from({ length: 50 }, () => [0.25, 0.25, 0.25, 0.25])), 5).mean).toBeCloseTo(1, 12);
  });

  it('matches exp(KL) for a hand-computed two-class case', () => {
    // Rows alternate [0.9, 0.1] / [0.1, 0.9]: p(y) = [0.5, 0.5], KL = 0.9·ln 1.8 + 0.1·ln 0.2 per row.
    const probs = fromArrays(Array.from({ length: 40 }, (_, i) => (i % 2 ? [0.1, 0.9] : [0.9, 0.1])));
    expect(inceptionScore(probs, 4).mean).toBeCloseTo(Math.exp(0.9 * Math.log(1.8) + 0.1 * Math.log(0.2)), 12);
  });

  it('reports the spread across splits (population std)', () => {
    // Split 1 is perfect on 2 classes (IS 2), split 2 is uniform (IS 1): mean 1.5, std 0.5.
    const probs = fromArrays([[1, 0], [0, 1], [0.5, 0.5], [0.5, 0.5]]);
    expect(inceptionScore(probs, 2)).toEqual({ mean: 1.5, std: 0.5 });
  });

  it('names the problem in bad input', () => {
    expect(() => inceptionScore(fromArrays([[0.5, 0.6]]), 1)).toThrow(/row 0 sums to 1.1/);
    expect(() => inceptionScore(fromArrays([[1, 0], [0, 1]]), 3)).toThrow(/splits must be a whole number from 1 to the number of samples \(2\), got 3/);
  });
});

describe('adherence', () => {
  it('counts rows whose argmax is the requested class', () => {
    const probs = fromArrays([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.2, 0.5, 0.3], [0.4, 0.35, 0.25]]);
    expect(adherence(probs, [0, 2, 0, 1])).toBe(0.5);
    expect(adherence(probs, Int32Array.from([0, 2, 1, 0]))).toBe(1);
  });

  it('names the problem in bad input', () => {
    const probs = fromArrays([[0.5, 0.5]]);
    expect(() => adherence(probs, [2])).toThrow(/requested label 2 at index 0 must be a class index from 0 to 1/);
    expect(() => adherence(probs, [0, 1])).toThrow(/2 requested labels for 1 rows/);
  });
});
