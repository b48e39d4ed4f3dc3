import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/index';
import { classifierConfig, disposeParams, epsNetConfig, initParams, type NetworkConfig } from '../networks/index';
import { loadOrt } from '../onnx/session';
import { maxRelativeError } from '../../testing/relativeError';
import { flatten, layoutOf } from './flat';
import { onnxStepEngine, shardsFor, shareOf } from './onnxStepEngine';
import { tfjsStepEngine } from './stepEngine';
import { classifierLoss } from './trainClassifier';
import { epsNetLoss } from './trainEpsNet';
import { stepScalars, type FlatVectors, type HostBatch } from './update';

/** Seeded values of every dtype the batches use (floats in (−1, 1), or (0, 1) when `positive`). */
function hostBatch(shapes: Record<string, { shape: number[]; int?: number; positive?: boolean }>, seed: number): HostBatch {
  let s = seed;
  const next = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  return Object.fromEntries(
    Object.entries(shapes).map(([n, { shape, int, positive }]) => {
      const size = shape.reduce((a, b) => a * b, 1);
      const data = int ? Int32Array.from({ length: size }, () => Math.floor(next() * int)) : Float32Array.from({ length: size }, () => (positive ? next() : 2 * next() - 1));
      return [n, { data, shape }];
    }),
  );
}

/**
 * Both engines start from the networks' own initial weights — zero-initialised last layers make
 * whole activations zero at the traced step, the case where a wrongly traced tensor would pass as a
 * constant — with random Adam moments and EMA.
 */
function vectors(cfg: NetworkConfig, seed: number, ema: boolean): FlatVectors<tf.Tensor1D> {
  const params = initParams(cfg, seed);
  const theta = flatten(params, layoutOf(params));
  disposeParams(params);
  const noise = (k: number, sd: number) => tf.keep(tf.randomNormal([theta.size], 0, sd, 'float32', seed + k) as tf.Tensor1D);
  return { theta, m: noise(2, 1e-3), v: tf.keep(tf.abs(noise(3, 1e-3)) as tf.Tensor1D), ema: ema ? noise(4, 0.1) : null };
}

const copy = (w: FlatVectors<tf.Tensor1D>): FlatVectors<tf.Tensor1D> => ({ theta: tf.clone(w.theta), m: tf.clone(w.m), v: tf.clone(w.v), ema: w.ema ? tf.clone(w.ema) : null });

const images = { shape: [12, 12, 1], classes: 10 };
const B = 4;
const cases = (() => {
  const mlp = epsNetConfig({ hidden: 32, depth: 2, channels: [8], blocksPerLevel: 1 }, { shape: [2], classes: 4 });
  const unet = epsNetConfig({ hidden: 32, depth: 1, channels: [8, 8, 16], blocksPerLevel: 1 }, { shape: [10, 10, 1], classes: 10 });
  const patched = epsNetConfig({ hidden: 32, depth: 1, channels: [8, 16], blocksPerLevel: 1, patch: 2, classMap: true }, { shape: [10, 10, 1], classes: 10 });
  const clsSpec = { hidden: 64, depth: 2, channels: [8, 16], steps: 1, batchSize: B, learningRate: 1e-3 };
  const noisy = classifierConfig(clsSpec, images, true);
  const noisyPatched = classifierConfig({ ...clsSpec, patch: 2 }, images, true);
  const evaluator = classifierConfig(clsSpec, { shape: [2], classes: 4 }, false);
  const epsBatch = (shape: number[], classes: number) => ({ x: { shape: [B, ...shape] }, eps: { shape: [B, ...shape] }, t: { shape: [B], int: 100 }, y: { shape: [B], int: classes + 1 } });
  return [
    ['MLP ε-net, with EMA', mlp, epsNetLoss(mlp), epsBatch([2], 4), true],
    ['U-Net ε-net (padded, strided conv, upsampling), with EMA', unet, epsNetLoss(unet), epsBatch([10, 10, 1], 10), true],
    ['U-Net ε-net on 2×2 patches (padded) with a class map, per-sample loss weights, with EMA', patched, epsNetLoss(patched), { ...epsBatch([10, 10, 1], 10), w: { shape: [B], positive: true } }, true],
    ['noise-aware image classifier', noisy, classifierLoss(noisy), { x: { shape: [B, ...images.shape] }, t: { shape: [B], int: 100 }, y: { shape: [B], int: 10 } }, false],
    ['noise-aware image classifier on 2×2 patches', noisyPatched, classifierLoss(noisyPatched), { x: { shape: [B, ...images.shape] }, t: { shape: [B], int: 100 }, y: { shape: [B], int: 10 } }, false],
    ['toy evaluator', evaluator, classifierLoss(evaluator), { x: { shape: [B, 2] }, y: { shape: [B], int: 4 } }, false],
  ] as const;
})();

describe('optimiser steps on onnxruntime match tfjs', () => {
  let ort: Awaited<ReturnType<typeof loadOrt>>;
  beforeAll(async () => {
    await initBackend('wasm');
    ort = await loadOrt();
  });
  afterAll(() => tf.disposeVariables());

  it('has onnxruntime to test against', () => expect(ort).not.toBeNull());

  // The rate changes every step (warm-up, then cosine decay): a rate traced as a constant would drift.
  const lr = { learningRate: 2e-3, steps: 5, warmupSteps: 2, decay: 'cosine' as const };

  // shards > 1: the batch split between this thread and shards − 1 gradient threads, each on the
  // exported loss-and-gradient graph, the mean gradient into the exported update; 4 once, so that
  // several threads answer one step.
  const splits = (name: string) => (name.startsWith('U-Net ε-net on 2×2 patches') ? [1, 2, 4] : [1, 2]);
  it.each(cases.flatMap(([name, ...c]) => splits(name).map((shards) => [`${name}, batch split ${shards} way${shards > 1 ? 's' : ''}`, ...c, shards] as const)))('%s: loss, θ, Adam moments and EMA after four steps agree to 1e-4', async (_, cfg, loss, shapes, ema, shards) => {
    const initial = vectors(cfg, 5, ema);
    const params = initParams(cfg, 0);
    const def = { layout: layoutOf(params), loss };
    disposeParams(params);
    const batches = [0, 1, 2, 3].map((i) => hostBatch(shapes as Record<string, { shape: number[]; int?: number; positive?: boolean }>, 100 + i));
    const reference = tfjsStepEngine(def, copy(initial));
    const onnx = await onnxStepEngine(ort!, def, initial, batches[0], shards);
    expect(onnx.shards).toBe(shards);
    for (let i = 0; i < batches.length; i++) {
      const s = stepScalars(i + 1, lr, ema ? 0.99 : null);
      const [a, b] = [await onnx.step(batches[i], s), await reference.step(batches[i], s)];
      expect(Math.abs(a - b) / Math.abs(b)).toBeLessThan(1e-4);
      expect(b).toBeGreaterThan(1e-3); // a real loss
    }
    const values = (t: tf.Tensor) => Float32Array.from(t.dataSync());
    const read = (e: typeof onnx) => e.read((w) => ({ theta: values(w.theta), m: values(w.m), v: values(w.v), ema: w.ema ? values(w.ema) : null }));
    const [got, want] = [read(onnx), read(reference)];
    for (const n of ['theta', 'm', 'v', 'ema'] as const) {
      if (want[n] === null) continue;
      expect(maxRelativeError(got[n]!, want[n]!), n).toBeLessThan(1e-4);
    }
    await Promise.all([onnx.dispose(), reference.dispose()]);
  });

  // Every share fails (this thread's and the gradient threads'): the step rejects once, after every
  // share has answered, no thread's failure is left unhandled, and the engine still closes.
  it('rejects a step whose batch does not fit the exported graph, and still disposes, with the batch split', async () => {
    const [, cfg, loss, shapes, ema] = cases[1];
    const params = initParams(cfg, 0);
    const def = { layout: layoutOf(params), loss };
    disposeParams(params);
    const good = hostBatch(shapes, 100);
    const onnx = await onnxStepEngine(ort!, def, vectors(cfg, 5, ema), good, 4);
    const bad = { ...good, x: { data: new Float32Array(B * 12 * 12), shape: [B, 12, 12, 1] } };
    await expect(onnx.step(bad, stepScalars(1, lr, 0.99))).rejects.toThrow(/dimensions/);
    await onnx.dispose();
  });
});

describe('the batch split', () => {
  const images = (n: number): HostBatch => ({ x: { data: new Float32Array(n * 4), shape: [n, 2, 2, 1] }, t: { data: Int32Array.from({ length: n }, (_, i) => i), shape: [n] } });
  it('splits image batches between the threads in shares of at least 8, evenly, and never an MLP batch', () => {
    expect(shardsFor(images(32), 2)).toBe(2);
    expect(shardsFor(images(32), 1)).toBe(1);
    expect(shardsFor(images(12), 2)).toBe(1); // shares of 6
    expect(shardsFor(images(48), 4)).toBe(4);
    expect(shardsFor(images(40), 3)).toBe(2); // 40 is not a multiple of 3
    expect(shardsFor({ x: { data: new Float32Array(512), shape: [256, 2] } }, 2)).toBe(1);
  });
  it('cuts every input of a batch at the same rows', () => {
    const share = shareOf(images(4), 2, 1);
    expect(share.x.shape).toEqual([2, 2, 2, 1]);
    expect(share.x.data.length).toBe(8);
    expect(Array.from(share.t.data)).toEqual([2, 3]);
  });
});
