import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/index';
import { gradLogProbOf } from '../guidance/index';
import { applyEps, classify, classifierConfig, classLogProb, disposeParams, epsNetConfig, initParams, type NetworkConfig, type Params } from '../networks/index';
import { onnxClassifier, onnxEps, onnxGradLogProb } from './session';
import { maxRelativeError } from '../../testing/relativeError';

/** Seeded weights with no zeros: the networks zero-initialise their last layers, which would hide errors. */
function randomParams(cfg: NetworkConfig, seed: number): Params {
  const params = initParams(cfg, seed);
  let i = 0;
  for (const [name, t] of params) {
    params.set(name, tf.keep(tf.randomNormal(t.shape, 0, 0.2, 'float32', seed * 1000 + i++)));
    t.dispose();
  }
  return params;
}

/** max |a − b| / max |b| of two tensors of one shape. */
function relativeError(a: tf.Tensor, b: tf.Tensor): number {
  expect(a.shape).toEqual(b.shape);
  return maxRelativeError(a.dataSync(), b.dataSync());
}

const B = 3;
const input = (shape: number[], seed: number) => tf.randomNormal([B, ...shape], 0, 1, 'float32', seed);
const t = () => tf.tensor1d([0, 417, 999], 'int32');

describe('ONNX export + onnxruntime match the tfjs networks (1e-4 relative)', () => {
  beforeAll(async () => {
    await initBackend('cpu'); // registers the gradients too
  });
  afterAll(() => tf.disposeVariables());

  const epsCases = [
    ['mlp-eps (toy2d)', epsNetConfig({ hidden: 32, depth: 2, channels: [8], blocksPerLevel: 1 }, { shape: [2], classes: 4 })],
    // Three levels on 12×12 pads to 12 (no pad) — four levels on 10×10 exercises pad and crop too.
    ['unet-eps, 3 levels', epsNetConfig({ hidden: 32, depth: 1, channels: [8, 16, 16], blocksPerLevel: 1 }, { shape: [12, 12, 1], classes: 10 })],
    // Patches: space-to-depth in, pixel shuffle out (rank-6 transposes), and padded 10 → 12 first.
    ['unet-eps, patch 2, padded', epsNetConfig({ hidden: 32, depth: 1, channels: [8, 16], blocksPerLevel: 1, patch: 2 }, { shape: [10, 10, 1], classes: 10 })],
    ['unet-eps, patch 2, class map', epsNetConfig({ hidden: 32, depth: 1, channels: [8, 16], blocksPerLevel: 1, patch: 2, classMap: true }, { shape: [12, 12, 1], classes: 10 })],
    ['unet-eps, 4 levels, 2 blocks, padded', epsNetConfig({ hidden: 32, depth: 1, channels: [8, 8, 16, 16], blocksPerLevel: 2 }, { shape: [10, 10, 1], classes: 10 })],
  ] as const;

  it.each(epsCases)('%s', async (_, cfg) => {
    const params = randomParams(cfg, 1);
    const [x, tt, y] = [input(cfg.inputShape, 2), t(), tf.tensor1d([0, 3, cfg.classes], 'int32')];
    const expected = applyEps(cfg, params, x, tt, y);
    const net = await onnxEps(cfg, params);
    const got = await net.run(x, tt, y);
    expect(relativeError(got, expected)).toBeLessThan(1e-4);
    expect(tf.max(tf.abs(expected)).dataSync()[0]).toBeGreaterThan(0.1); // a real, non-trivial output
    await net.release();
    // In chunks of 2 (a full chunk and a remainder of 1, two sessions), stitched back in order.
    const chunked = await onnxEps(cfg, params, { chunk: 2 });
    const stitched = await chunked.run(x, tt, y);
    expect(relativeError(stitched, expected)).toBeLessThan(1e-4);
    await chunked.release();
    stitched.dispose();
    tf.dispose([x, tt, y, expected, got]);
    disposeParams(params);
  });

  const classifierSpec = { hidden: 64, depth: 2, channels: [8, 16], steps: 1, batchSize: 1, learningRate: 1e-3 };
  const classifierCases = [
    ['noisy classifier (images, time-conditioned)', classifierConfig(classifierSpec, { shape: [12, 12, 1], classes: 10 }, true)],
    ['evaluator (images)', classifierConfig(classifierSpec, { shape: [12, 12, 1], classes: 10 }, false)],
    ['noisy classifier (images, patch 2, padded)', classifierConfig({ ...classifierSpec, patch: 2 }, { shape: [11, 11, 1], classes: 10 }, true)],
    ['noisy classifier (toy2d)', classifierConfig(classifierSpec, { shape: [2], classes: 4 }, true)],
    ['evaluator (toy2d)', classifierConfig(classifierSpec, { shape: [2], classes: 4 }, false)],
  ] as const;

  it.each(classifierCases)('%s', async (_, cfg) => {
    const params = randomParams(cfg, 3);
    const x = input(cfg.inputShape, 4);
    const tt = cfg.timeConditioned ? t() : null;
    const expected = classify(cfg, params, x, tt);
    const net = await onnxClassifier(cfg, params);
    const got = await net.run(x, tt);
    expect(relativeError(got.features, expected.features)).toBeLessThan(1e-4);
    expect(relativeError(got.logits, expected.logits)).toBeLessThan(1e-4);
    await net.release();
    tf.dispose([x, tt, expected.features, expected.logits, got.features, got.logits].filter((v): v is tf.Tensor => v !== null));
    disposeParams(params);
  });

  it.each(classifierCases.filter(([, cfg]) => cfg.timeConditioned))('%s: the guidance gradient ∇_x log f(y | x, t), traced from tfjs autodiff', async (_, cfg) => {
    const params = randomParams(cfg, 5);
    const x = input(cfg.inputShape, 6);
    const [tt, y] = [t(), tf.tensor1d([0, 1, 3], 'int32')];
    const expected = await gradLogProbOf((xi, ti, yi) => classLogProb(cfg, params, xi, ti, yi))(x, tt, y);
    const net = await onnxGradLogProb(cfg, params, { chunk: 2 });
    const got = await net.run(x, tt, y);
    expect(relativeError(got, expected)).toBeLessThan(1e-4);
    expect(tf.max(tf.abs(expected)).dataSync()[0]).toBeGreaterThan(1e-3);
    await net.release();
    tf.dispose([x, tt, y, expected, got]);
    disposeParams(params);
  });

  it('names an unsupported kernel instead of exporting a wrong graph', async () => {
    const { exportForward } = await import('./export');
    const x = tf.ones([2, 3]);
    expect(() => exportForward('bad', [{ name: 'x', tensor: x }], new Map(), () => ({ y: tf.cumsum(x, 1) }))).toThrow(/kernel 'Cumsum' has no ONNX translation/);
    x.dispose();
  });
});
