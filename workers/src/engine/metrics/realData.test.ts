/**
 * DESIGN.md §2's sanity checks on real data with a real (small, briefly trained) evaluator network:
 * its penultimate features serve FID/KID and its softmax serves IS and adherence. Held-out real vs
 * real scores near the floor, IS near the data's ceiling, and noised or blurred real data gives
 * monotonically worse FID.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/index';
import { loadEvaluator } from '../checkpoint';
import { loadMnist } from '../data/mnist';
import { fillNormal, mulberry32 } from '../random';
import { trainClassifier } from '../training/index';
import { adherence } from './adherence';
import { frechetDistance, frechetFromStats, gaussianStats, type GaussianStats } from './fid';
import { inceptionScore } from './inceptionScore';
import { kernelInceptionDistance } from './kid';
import type { RowMatrix } from './linalg';

const SIDE = 28;

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

describe('metrics on real MNIST, scored by a trained evaluator', () => {
  // Two disjoint held-out halves that the evaluator never trained on: the reference and the "real samples".
  const { train, test } = loadMnist({ testPerClass: 200, seed: 0 });
  const n = test.y.length / 2;
  const referenceX = test.x.subarray(0, n * SIDE * SIDE);
  const heldOut = test.x.subarray(n * SIDE * SIDE);
  const heldOutLabels = test.y.subarray(n);
  let evaluator: ReturnType<typeof loadEvaluator>;
  let reference: GaussianStats;

  const outputs = (x: Float32Array): { features: RowMatrix; probs: RowMatrix } => {
    const input = tf.tensor2d(x, [x.length / (SIDE * SIDE), SIDE * SIDE]);
    const { features: f, probs: p } = evaluator.evaluate(input);
    const result = { features: { data: f.dataSync() as Float32Array, rows: f.shape[0], cols: f.shape[1] }, probs: { data: p.dataSync() as Float32Array, rows: p.shape[0], cols: p.shape[1] } };
    tf.dispose([input, f, p]);
    return result;
  };
  const fidOf = (x: Float32Array) => frechetFromStats(reference, gaussianStats(outputs(x).features));

  beforeAll(async () => {
    await initBackend('wasm');
    // The evaluator's residual-MLP form on flattened digits: a real classifier that trains in seconds
    // here (the presets' convolutional one takes minutes on a CPU).
    const spec = { hidden: 64, depth: 1, channels: [8], steps: 600, batchSize: 64, learningRate: 2e-3 };
    const { checkpoint } = await trainClassifier({ data: { ...train, shape: [SIDE * SIDE] }, schedule: null, classifier: spec, seed: 0 });
    evaluator = loadEvaluator(checkpoint);
    reference = gaussianStats(outputs(referenceX).features);
  });

  it('scores held-out real data near the floor and near the IS ceiling', () => {
    const real = outputs(heldOut);
    expect(adherence(real.probs, heldOutLabels)).toBeGreaterThan(0.85);
    // IS of real digits approaches K = 10 as the evaluator gets sharper, and real data scores above a corruption of it.
    const isReal = inceptionScore(real.probs, 10).mean;
    expect(isReal).toBeGreaterThan(7);
    expect(isReal).toBeGreaterThan(inceptionScore(outputs(blur(heldOut, 4)).probs, 10).mean);
    // Real vs real is not exactly 0 at N = 1000 (FID's finite-sample bias), but far below visible damage.
    expect(fidOf(heldOut)).toBeLessThan(0.1 * fidOf(addNoise(heldOut, 2, 1)));
    expect(frechetDistance(real.features, real.features)).toBeLessThan(1e-9);
    const ref = outputs(referenceX).features;
    const kid = kernelInceptionDistance(ref, real.features, { subsets: 10, seed: 0 });
    expect(Math.abs(kid.mean)).toBeLessThan(0.1 * kernelInceptionDistance(ref, outputs(addNoise(heldOut, 2, 1)).features, { subsets: 10, seed: 0 }).mean);
  });

  it('grows monotonically with noise and with blur', () => {
    const noise = [0, 0.5, 1, 2].map((s) => fidOf(addNoise(heldOut, s, 2)));
    const blurred = [0, 1, 2, 4].map((passes) => fidOf(blur(heldOut, passes)));
    for (const curve of [noise, blurred]) for (let i = 1; i < curve.length; i++) expect(curve[i]).toBeGreaterThan(curve[i - 1]);
  });
});
