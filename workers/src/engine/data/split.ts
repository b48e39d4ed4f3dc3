/**
 * Seeded stratified train/test split shared by every loader: each class keeps its share in both
 * parts, and both parts come out in a seeded random order (never grouped by class, so consecutive
 * chunks — e.g. Inception Score splits of the reference set — are class-balanced on average).
 */
import { mulberry32, sampleIndices } from '../random';
import type { DatasetSplit, LabelledData } from '../types';

/** How much of each class to hold out: a fixed count (MNIST) or a fraction (users' data). */
export type HoldOut = { testPerClass: number } | { testFraction: number };

/** Row indices of the train and test parts, stratified by label. */
export function stratifiedSplit(data: LabelledData, holdOut: HoldOut, seed: number): { train: Int32Array; test: Int32Array } {
  const rand = mulberry32(seed);
  const byClass: number[][] = Array.from({ length: data.classes }, () => []);
  data.y.forEach((label, i) => byClass[label].push(i));
  const train: number[] = [];
  const test: number[] = [];
  byClass.forEach((rows, c) => {
    const name = `class ${c} ('${data.classNames[c]}', ${rows.length} samples)`;
    if (rows.length < 2) throw new Error(`split: ${name} needs at least 2 samples, one to train and one to test`);
    const held = 'testPerClass' in holdOut ? holdOut.testPerClass : Math.min(rows.length - 1, Math.max(1, Math.round(rows.length * holdOut.testFraction)));
    if (held >= rows.length) throw new Error(`split: testPerClass ${held} leaves no training samples for ${name}; use at most ${rows.length - 1}`);
    const order = sampleIndices(rows.length, rows.length, rand);
    order.forEach((r, i) => (i < held ? test : train).push(rows[r]));
  });
  const shuffle = (rows: number[]) => Int32Array.from(sampleIndices(rows.length, rows.length, rand), (i) => rows[i]);
  return { train: shuffle(train), test: shuffle(test) };
}

/** The given rows of a dataset, in the given order. */
export function selectRows(data: LabelledData, rows: Int32Array): LabelledData {
  const dim = data.shape.reduce((a, b) => a * b, 1);
  const x = new Float32Array(rows.length * dim);
  const y = new Int32Array(rows.length);
  rows.forEach((row, i) => {
    x.set(data.x.subarray(row * dim, (row + 1) * dim), i * dim);
    y[i] = data.y[row];
  });
  return { shape: [...data.shape], x, y, classes: data.classes, classNames: [...data.classNames] };
}

/** Splits a whole labelled dataset into a stratified, seeded DatasetSplit. */
export function splitDataset(name: string, data: LabelledData, holdOut: HoldOut, seed: number): DatasetSplit {
  const { train, test } = stratifiedSplit(data, holdOut, seed);
  return { name, train: selectRows(data, train), test: selectRows(data, test) };
}
