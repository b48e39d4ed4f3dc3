import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../backend/index';
import { makeSchedule } from '../schedules/index';
import { trainEpsNet } from '../training/index';
import { applyEps, classifierConfig, classify, countParams, disposeParams, epsNetConfig, flopsPerSample, initParams } from './index';
import { groupsFor } from './layers';
import { patchify, unpatchify } from './patches';
import type { Params } from './params';

/**
 * Residual branches and the output start at zero (identity blocks): give every zero-initialised
 * parameter that `open` picks some value, so the paths through them reach the output.
 */
function openZeroParams(params: Params, open: (name: string) => boolean): void {
  [...params].forEach(([name, w], i) => {
    if (!open(name) || tf.tidy(() => tf.any(tf.notEqual(w, 0)).dataSync()[0])) return;
    params.set(name, tf.randomNormal(w.shape, 0, 0.1, 'float32', i));
    w.dispose();
  });
}

describe('networks', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('count the MLP ε-net FLOPs in closed form', () => {
    const [h, d, k] = [32, 3, 4];
    const cfg = epsNetConfig({ hidden: h, depth: d, channels: [4], blocksPerLevel: 1 }, { shape: [2], classes: k });
    const params = initParams(cfg, 0);
    // MACs: time MLP 2h², class one-hot·table (K+1)h, input 2h, blocks 3h² each, output 2h.
    expect(flopsPerSample(cfg, params)).toBe(2 * (2 * h * h + (k + 1) * h + 2 * h + d * 3 * h * h + 2 * h));
    // Parameters: the same layers plus biases.
    expect(countParams(params)).toBe(2 * (h * h + h) + (k + 1) * h + (2 * h + h) + d * 3 * (h * h + h) + (2 * h + 2));
    disposeParams(params);
  });

  it('picks GroupNorm group counts that divide the channels', () => {
    expect([8, 32, 12, 4, 6].map((c) => groupsFor(c))).toEqual([8, 8, 6, 4, 6]);
  });

  it('patchify moves each p×p patch into the channels (row-major, channels innermost) and unpatchify undoes it', () => {
    // x[0, i, j, c] = 100·i + 10·j + c on a 4×4×2 image.
    const x = tf.tensor4d(Array.from({ length: 32 }, (_, k) => 100 * Math.floor(k / 8) + 10 * (Math.floor(k / 2) % 4) + (k % 2)), [1, 4, 4, 2]);
    const patched = patchify(x, 2);
    expect(patched.shape).toEqual([1, 2, 2, 8]);
    // Patch (1, 0) covers rows 2–3, columns 0–1: pixels (2,0), (2,1), (3,0), (3,1), two channels each.
    expect(Array.from(tf.tidy(() => tf.slice(patched, [0, 1, 0, 0], [1, 1, 1, 8]).dataSync()))).toEqual([200, 201, 210, 211, 300, 301, 310, 311]);
    const back = unpatchify(patched, 2);
    expect(Array.from(back.dataSync())).toEqual(Array.from(x.dataSync()));
    tf.dispose([x, patched, back]);
  });

  for (const [channels, patch] of [[[8, 16, 16], undefined], [[8, 8, 8, 8], undefined], [[8, 16, 16], 2]] as const) {
    it(`U-Net ε-net [${channels}]${patch ? `, patch ${patch},` : ''} maps 28×28 inputs to 28×28 outputs and its class input matters`, () => {
      const cfg = epsNetConfig({ hidden: 16, depth: 1, channels: [...channels], blocksPerLevel: 1, patch }, { shape: [28, 28, 1], classes: 10 });
      const params = initParams(cfg, 1);
      openZeroParams(params, (name) => name.endsWith('.w')); // so the class path reaches the output
      const [a, b] = tf.tidy(() => {
        const x = tf.randomNormal([2, 28, 28, 1], 0, 1, 'float32', 3);
        const t = tf.tensor1d([3, 900], 'int32');
        return [applyEps(cfg, params, x, t, tf.tensor1d([1, 2], 'int32')), applyEps(cfg, params, x, t, tf.tensor1d([10, 10], 'int32'))];
      });
      expect(a.shape).toEqual([2, 28, 28, 1]);
      expect(tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0])).toBeGreaterThan(1e-4);
      tf.dispose([a, b]);
      disposeParams(params);
    });
  }

  it('U-Net ε-net with a class map: one zero-initialised map per label (and ∅) that alone carries the class', () => {
    const cfg = epsNetConfig({ hidden: 16, depth: 1, channels: [8, 16], blocksPerLevel: 1, patch: 2, classMap: true }, { shape: [28, 28, 1], classes: 10 });
    const params = initParams(cfg, 1);
    const map = params.get('classMap.table') as tf.Tensor;
    expect(map.shape).toEqual([11, 14 * 14 * 8]); // the first level: 14×14 patches, 8 channels
    expect(tf.tidy(() => tf.max(tf.abs(map)).dataSync()[0])).toBe(0);
    // Open the residual branches and the map, and cut the scale-shift path (the class embedding): any
    // difference between two labels' outputs now comes through the map.
    openZeroParams(params, (name) => name.endsWith('.w') || name === 'classMap.table');
    const embedding = params.get('class.table') as tf.Tensor;
    params.set('class.table', tf.zerosLike(embedding));
    embedding.dispose();
    const [a, b, c] = tf.tidy(() => {
      const x = tf.randomNormal([2, 28, 28, 1], 0, 1, 'float32', 3);
      const t = tf.tensor1d([3, 900], 'int32');
      return [1, 2, 1].map((label) => applyEps(cfg, params, x, t, tf.tensor1d([label, label], 'int32')));
    });
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0])).toBeGreaterThan(1e-4);
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(a, c))).dataSync()[0])).toBe(0);
    tf.dispose([a, b, c]);
    disposeParams(params);
  });

  it('classifier on 2×2 patches: its trunk starts at 14×14×4 (odd sizes padded), so level 0 runs on a quarter of the positions', () => {
    const spec = { hidden: 64, depth: 1, channels: [16, 32, 64], steps: 1, batchSize: 1, learningRate: 1e-3 };
    const [plain, patched] = [undefined, 2 as const].map((patch) => classifierConfig({ ...spec, patch }, { shape: [28, 28, 1], classes: 10 }, true));
    const [pp, qq] = [initParams(plain, 1), initParams(patched, 1)];
    expect((qq.get('in.w') as tf.Tensor).shape).toEqual([3, 3, 4, 16]);
    // Level 0's two 3×3 convolutions (16→16) run on 196 rather than 784 positions; the rest is shared.
    const saved = 2 * 9 * 16 * 16 * (784 - 196);
    expect(flopsPerSample(plain, pp) - flopsPerSample(patched, qq)).toBeGreaterThan(2 * saved);
    const odd = classifierConfig({ ...spec, patch: 2 }, { shape: [27, 27, 1], classes: 10 }, false);
    const oddParams = initParams(odd, 1);
    const shapes = tf.tidy(() => {
      const { logits, features } = classify(odd, oddParams, tf.zeros([3, 27, 27, 1]), null);
      return [logits.shape, features.shape];
    });
    expect(shapes).toEqual([[3, 10], [3, 64]]);
    [pp, qq, oddParams].forEach(disposeParams);
  });

  it('U-Net ε-net takes a training step on wasm', async () => {
    const n = 8;
    const x = new Float32Array(n * 28 * 28).map((_, i) => Math.sin(i) * 0.5);
    const data = { shape: [28, 28, 1], x, y: Int32Array.from({ length: n }, (_, i) => i % 2), classes: 2, classNames: ['a', 'b'] };
    const before = tf.memory().numTensors;
    const r = await trainEpsNet({
      data,
      schedule: makeSchedule({ kind: 'linear', T: 100 }),
      model: { hidden: 16, depth: 1, channels: [8, 16], blocksPerLevel: 1 },
      training: { steps: 2, batchSize: 4, learningRate: 1e-3, emaDecay: 0.9, checkpointEvery: 10 },
      pUncond: 0.1,
      seed: 0,
    });
    expect(r.curve.at(-1)?.step).toBe(2);
    expect(Number.isFinite(r.curve[0].loss)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });
});
