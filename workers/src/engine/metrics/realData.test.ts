/**
 * DESIGN.md §2's sanity checks on real data, with 4×4 average-pooled MNIST pixels (49-d) standing in
 * for the evaluator's features: held-out real vs real gives a small FID/KID, and noised or blurred
 * real data gives monotonically worse FID.
 */
import { describe, expect, it } from 'vitest';
import { loadMnist } from '../data/mnist';
import { fillNormal, mulberry32 } from '../random';
import { frechetDistance, frechetFromStats, gaussianStats } from './fid';
import { kernelInceptionDistance } from './kid';
import type { RowMatrix } from './linalg';

const SIDE = 28;

function pooledFeatures(x: Float32Array, n: number): RowMatrix {
  const data = new Float64Array(n * 49);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < SIDE * SIDE; p++) {
      const cell = Math.floor(Math.floor(p / SIDE) / 4) * 7 + Math.floor((p % SIDE) / 4);
      data[i * 49 + cell] += x[i * SIDE * SIDE + p] / 16;
    }
  }
  return { data, rows: n, cols: 49 };
}

function addNoise(x: Float32Array, sigma: number, seed: number): Float32Array {
  const z = new Float32Array(x.length);
  fillNormal(z, mulberry32(seed));
  return x.map((v, i) => v + sigma * z[i]);
}

/** `passes` rounds of a 3×3 box blur (edges clamped). */
function blur(x: Float32Array, passes: number): Float32Array {
  let cur = x;
  for (let p = 0; p < passes; p++) {
    const next = new Float32Array(cur.length);
    for (let base = 0; base < cur.length; base += SIDE * SIDE) {
      for (let r = 0; r < SIDE; r++) {
        for (let c = 0; c < SIDE; c++) {
          let sum = 0;
          for (let dr = -1; dr <= 1; dr++) {
            for (let dc = -1; dc <= 1; dc++) {
              sum += cur[base + Math.min(SIDE - 1, Math.max(0, r + dr)) * SIDE + Math.min(SIDE - 1, Math.max(0, c + dc))];
            }
          }
          next[base + r * SIDE + c] = sum / 9;
        }
      }
    }
    cur = next;
  }
  return cur;
}

describe('metrics on real data (MNIST, pooled-pixel features)', () => {
  const { train, test } = loadMnist({ testPerClass: 100, seed: 0 });
  const n = test.y.length;
  const reference = gaussianStats(pooledFeatures(test.x, n));
  const heldOut = train.x.subarray(0, n * SIDE * SIDE);
  const fidOf = (x: Float32Array) => frechetFromStats(reference, gaussianStats(pooledFeatures(x, n)));

  it('gives a small FID and KID for held-out real vs real', () => {
    // Real vs real is not exactly 0 at N = 1000 (FID's finite-sample bias), but far below visible damage.
    expect(fidOf(heldOut)).toBeLessThan(0.1 * fidOf(addNoise(heldOut, 1, 1)));
    expect(frechetDistance(pooledFeatures(test.x, n), pooledFeatures(test.x, n))).toBeLessThan(1e-9);
    const kid = kernelInceptionDistance(pooledFeatures(test.x, n), pooledFeatures(heldOut, n), { subsets: 10, seed: 0 });
    expect(Math.abs(kid.mean)).toBeLessThan(0.01);
  });

  it('grows monotonically with noise and with blur', () => {
    const noise = [0, 0.25, 0.5, 1].map((s) => fidOf(addNoise(heldOut, s, 2)));
    const blurred = [0, 1, 2, 4].map((passes) => fidOf(blur(heldOut, passes)));
    for (const curve of [noise, blurred]) for (let i = 1; i < curve.length; i++) expect(curve[i]).toBeGreaterThan(curve[i - 1]);
  });
});
