import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from './backend/index';
import { loadEpsNet, loadNoisyClassifier, readCheckpoint, weightsHashOf, writeCheckpoint } from './checkpoint';
import { makeToy2d } from './data/toy2d';
import { applyEps, disposeParams } from './networks/index';
import { makeSchedule } from './schedules/index';
import { trainEpsNet } from './training/index';

describe('checkpoints', () => {
  let bytes: Uint8Array;
  let hash: string;
  beforeAll(async () => {
    await initBackend('wasm');
    const data = makeToy2d({ kind: 'toy2d', classes: 2, modesPerClass: 1, trainSize: 200, testSize: 200, seed: 1 }).train;
    const r = await trainEpsNet({
      data,
      schedule: makeSchedule({ kind: 'cosine', T: 50 }),
      model: { hidden: 16, depth: 1, channels: [4], blocksPerLevel: 1 },
      training: { steps: 5, batchSize: 16, learningRate: 1e-2, emaDecay: 0.5, checkpointEvery: 5 },
      pUncond: 0.5,
      seed: 4,
    });
    bytes = r.checkpoint;
    hash = r.weightsHash;
  });

  it('read then written again gives the same bytes', () => {
    const state = readCheckpoint(bytes);
    expect(state.step).toBe(5);
    expect(state.ema).not.toBeNull();
    const again = writeCheckpoint(state);
    expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
    for (const ps of [state.params, state.ema, state.adamM, state.adamV]) if (ps) disposeParams(ps);
  });

  it('loads an ε-net whose outputs equal the stored EMA weights applied directly', () => {
    const state = readCheckpoint(bytes);
    const net = loadEpsNet(bytes);
    expect([net.classes, net.nullLabel]).toEqual([2, 2]);
    const x = tf.tensor2d([0.3, -1, 2, 0.5, 0, 0], [3, 2]);
    const t = tf.tensor1d([0, 10, 49], 'int32');
    const y = tf.tensor1d([0, 1, 2], 'int32');
    const fromLoader = net.eps(x, t, y);
    const direct = tf.tidy(() => applyEps(net.config, state.ema ?? state.params, x, t, y));
    expect(Array.from(fromLoader.dataSync())).toEqual(Array.from(direct.dataSync()));
    // The EMA (decay warm-up 0.5 vs raw weights) differs from the raw weights: the loader must use the EMA.
    const raw = tf.tidy(() => applyEps(net.config, state.params, x, t, y));
    expect(Array.from(raw.dataSync())).not.toEqual(Array.from(direct.dataSync()));
    expect(weightsHashOf(bytes)).toBe(hash);
    tf.dispose([x, t, y, fromLoader, direct, raw]);
    net.dispose();
    for (const ps of [state.params, state.ema, state.adamM, state.adamV]) if (ps) disposeParams(ps);
  });

  it('rejects foreign bytes and the wrong role with a clear error', () => {
    expect(() => readCheckpoint(new Uint8Array(64))).toThrow(/not a Guidance Lab checkpoint/);
    expect(() => loadNoisyClassifier(bytes)).toThrow(/holds a 'eps' model, expected 'noisy-classifier'/);
  });
});
