import { describe, expect, it } from 'vitest';
import { mulberry32, sampleIndices } from '../random';
import type { LabelledData } from '../types';
import { splitDataset, stratifiedSplit } from './split';

/** 3 classes of 10, 20 and 30 one-pixel samples whose value is their row index. */
const data: LabelledData = {
  shape: [1],
  x: Float32Array.from({ length: 60 }, (_, i) => i),
  y: Int32Array.from({ length: 60 }, (_, i) => (i < 10 ? 0 : i < 30 ? 1 : 2)),
  classes: 3,
  classNames: ['a', 'b', 'c'],
};
const count = (y: Int32Array, c: number) => y.filter((l) => l === c).length;

describe('stratified split', () => {
  it('holds out testPerClass of each class, disjoint and complete, in a seeded order', () => {
    const { train, test } = stratifiedSplit(data, { testPerClass: 4 }, 1);
    expect(test.length).toBe(12);
    expect(new Set([...train, ...test]).size).toBe(60);
    const split = splitDataset('t', data, { testPerClass: 4 }, 1);
    expect([0, 1, 2].map((c) => count(split.test.y, c))).toEqual([4, 4, 4]);
    expect([0, 1, 2].map((c) => count(split.train.y, c))).toEqual([6, 16, 26]);
    // Rows travel with their labels.
    split.train.x.forEach((v, i) => expect(split.train.y[i]).toBe(data.y[v]));
    expect(stratifiedSplit(data, { testPerClass: 4 }, 1)).toEqual({ train, test });
    expect(stratifiedSplit(data, { testPerClass: 4 }, 2).test).not.toEqual(test);
  });

  it('holds out a rounded fraction of each class and never groups the output by class', () => {
    const split = splitDataset('t', data, { testFraction: 0.2 }, 3);
    expect([0, 1, 2].map((c) => count(split.test.y, c))).toEqual([2, 4, 6]);
    const sortedByClass = [...split.train.y].every((l, i, a) => i === 0 || a[i - 1] <= l);
    expect(sortedByClass).toBe(false);
  });

  it('names the class that cannot be split', () => {
    expect(() => stratifiedSplit(data, { testPerClass: 10 }, 0)).toThrow(/testPerClass 10 leaves no training samples for class 0 \('a', 10 samples\); use at most 9/);
    const tiny: LabelledData = { ...data, y: Int32Array.from({ length: 60 }, (_, i) => (i === 0 ? 0 : 1 + (i % 2))) };
    expect(() => stratifiedSplit(tiny, { testFraction: 0.2 }, 0)).toThrow(/class 0 \('a', 1 samples\) needs at least 2 samples/);
  });
});

describe('sampleIndices', () => {
  it('draws distinct indices uniformly (each index chosen ~m/n of the time)', () => {
    const rand = mulberry32(5);
    const hits = new Array(10).fill(0);
    for (let r = 0; r < 2000; r++) {
      const s = sampleIndices(10, 3, rand);
      expect(new Set(s).size).toBe(3);
      s.forEach((i) => hits[i]++);
    }
    // Expected 600 each; binomial std ≈ 20.
    hits.forEach((h) => expect(Math.abs(h - 600)).toBeLessThan(80));
  });
});
