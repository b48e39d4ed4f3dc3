import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../backend/index';
import { loadEvaluator, loadNoisyClassifier } from '../checkpoint';
import { bayesClassify, makeToy2d, toy2dMixture } from '../data/toy2d';
import { hashSeed, mulberry32, normal } from '../random';
import { classLogProb } from '../networks/index';
import { makeSchedule } from '../schedules/index';
import type { LabelledData } from '../types';
import { trainClassifier } from './index';

const spec = { hidden: 32, depth: 2, channels: [8], steps: 200, batchSize: 128, learningRate: 3e-3 };

/** Three well separated isotropic blobs (centres 6 apart, std 0.5): linearly separable. */
function blobs(n: number, seed: number): LabelledData {
  const rand = mulberry32(seed);
  const centres = [[0, 6], [-5, -3], [5, -3]];
  const x = new Float32Array(2 * n);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 3;
    x[2 * i] = centres[y[i]][0] + 0.5 * normal(rand);
    x[2 * i + 1] = centres[y[i]][1] + 0.5 * normal(rand);
  }
  return { shape: [2], x, y, classes: 3, classNames: ['a', 'b', 'c'] };
}

const accuracy = (probs: Float32Array, y: Int32Array, k: number) =>
  y.reduce((hits, label, i) => {
    const row = Array.from(probs.subarray(i * k, (i + 1) * k));
    return hits + (row.indexOf(Math.max(...row)) === label ? 1 : 0);
  }, 0) / y.length;

describe('trainClassifier', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('trains the clean evaluator to high accuracy, with ≥ 64-d features and softmax rows', async () => {
    const { checkpoint, weightsHash } = await trainClassifier({ data: blobs(600, 1), schedule: null, classifier: { ...spec, hidden: 32, steps: 100 }, seed: 2 });
    const test = blobs(300, 9);
    const evaluator = loadEvaluator(checkpoint);
    const x = tf.tensor2d(test.x, [300, 2]);
    const { probs, features } = evaluator.evaluate(x);
    expect(features.shape).toEqual([300, 64]);
    const p = probs.dataSync() as Float32Array;
    for (let i = 0; i < 300; i++) expect(p[3 * i] + p[3 * i + 1] + p[3 * i + 2]).toBeCloseTo(1, 5);
    expect(accuracy(p, test.y, 3)).toBeGreaterThan(0.97);
    expect(evaluator.hash).toBe(weightsHash);
    tf.dispose([x, probs, features]);
    evaluator.dispose();
  });

  it('trains a noise-aware classifier that beats chance on x_t at small t', async () => {
    const split = makeToy2d({ kind: 'toy2d', classes: 4, modesPerClass: 2, trainSize: 4000, testSize: 400, seed: 5 });
    const schedule = makeSchedule({ kind: 'linear', T: 100 });
    const { checkpoint } = await trainClassifier({ data: split.train, schedule, classifier: spec, seed: 3 });
    const { config, params, dispose } = loadNoisyClassifier(checkpoint);
    // Score each held-out point noised at t = 5 under every class; the argmax should usually be its own.
    const n = split.test.y.length;
    const rand = mulberry32(hashSeed(7, 7));
    const ab = schedule.alphasCumprod[5];
    const xt = split.test.x.map((v) => Math.sqrt(ab) * v + Math.sqrt(1 - ab) * normal(rand));
    const scores = new Float32Array(n * 4);
    for (let c = 0; c < 4; c++) {
      const lp = tf.tidy(() => classLogProb(config, params, tf.tensor2d(xt, [n, 2]), tf.fill([n], 5, 'int32') as tf.Tensor1D, tf.fill([n], c, 'int32') as tf.Tensor1D));
      const values = lp.dataSync();
      lp.dispose();
      values.forEach((v, i) => (scores[4 * i + c] = v));
    }
    // log-probabilities of the K classes must normalise: Σ_c exp(log f(c|x)) = 1.
    for (let i = 0; i < 10; i++) expect([0, 1, 2, 3].reduce((s, c) => s + Math.exp(scores[4 * i + c]), 0)).toBeCloseTo(1, 4);
    // Chance is 1/4; the Bayes classifier of the exact noised mixture bounds what any classifier can reach.
    const bayes = bayesClassify(toy2dMixture({ classes: 4, modesPerClass: 2, seed: 5 }), xt, ab).reduce((h, c, i) => h + (c === split.test.y[i] ? 1 : 0), 0) / n;
    expect(accuracy(scores, split.test.y, 4)).toBeGreaterThan(Math.max(0.6, bayes - 0.1));
    dispose();
  });
});
