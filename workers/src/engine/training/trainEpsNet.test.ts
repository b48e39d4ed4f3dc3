import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../backend/index';
import { readCheckpoint } from '../checkpoint';
import { makeToy2d } from '../data/toy2d';
import { makeSchedule } from '../schedules/index';
import { trainEpsNet, type TrainEpsNetOptions } from './index';

const data = makeToy2d({ kind: 'toy2d', classes: 3, modesPerClass: 2, trainSize: 2000, testSize: 200, seed: 3 }).train;
const schedule = makeSchedule({ kind: 'linear', T: 100 });
const engines = ['tfjs', 'onnxruntime'] as const;

describe.each(engines)('trainEpsNet on toy2d (MLP ε-net), steps on %s', (engine) => {
  const base = (steps: number, checkpointEvery: number): TrainEpsNetOptions => ({
    engine,
    data,
    schedule,
    model: { hidden: 64, depth: 2, channels: [32], blocksPerLevel: 1 },
    training: { steps, batchSize: 128, learningRate: 3e-3, emaDecay: 0.99, checkpointEvery },
    pUncond: 0.2,
    seed: 11,
  });

  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('lowers the ε-prediction loss clearly, without leaking tensors between steps', async () => {
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    const { curve, weightsHash } = await trainEpsNet({ ...base(150, 1000), onProgress: () => counts.push(tf.memory().numTensors) });
    const first = curve[0].loss;
    const last = curve.slice(-20).reduce((s, p) => s + p.loss, 0) / 20;
    // At initialisation the zero output layer predicts ε̂ = 0, so the loss is E‖ε‖²/d = 1.
    expect(first).toBeGreaterThan(0.8);
    expect(last).toBeLessThan(0.6 * first);
    expect(weightsHash).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(counts.slice(1)).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('resumes from a checkpoint to exactly the uninterrupted run', async () => {
    const straight = await trainEpsNet(base(16, 8));
    let saved: Uint8Array | null = null;
    const stop = new AbortController();
    await expect(
      trainEpsNet({
        ...base(16, 8),
        signal: stop.signal,
        onCheckpoint: (bytes) => {
          saved = bytes;
          stop.abort(new Error('stopped after the first checkpoint'));
        },
      }),
    ).rejects.toThrow('stopped after the first checkpoint');
    expect(saved).not.toBeNull();
    expect(readCheckpoint(saved as unknown as Uint8Array).step).toBe(8);
    const resumed = await trainEpsNet({ ...base(16, 8), resume: saved as unknown as Uint8Array });
    expect(resumed.weightsHash).toBe(straight.weightsHash);
    expect(Buffer.from(resumed.checkpoint).equals(Buffer.from(straight.checkpoint))).toBe(true);
  });

  it('resumes a run with lr warm-up and cosine decay to exactly the uninterrupted run', async () => {
    const scheduled = (o: TrainEpsNetOptions): TrainEpsNetOptions => ({ ...o, training: { ...o.training, warmupSteps: 5, lrDecay: 'cosine' } });
    const straight = await trainEpsNet(scheduled(base(12, 6)));
    const constant = await trainEpsNet(base(12, 6));
    expect(straight.weightsHash).not.toBe(constant.weightsHash);
    let saved: Uint8Array | null = null;
    const stop = new AbortController();
    const first = trainEpsNet({ ...scheduled(base(12, 6)), signal: stop.signal, onCheckpoint: (bytes) => ((saved = bytes), stop.abort(new Error('stop'))) });
    await expect(first).rejects.toThrow('stop');
    const resumed = await trainEpsNet({ ...scheduled(base(12, 6)), resume: saved as unknown as Uint8Array });
    expect(resumed.weightsHash).toBe(straight.weightsHash);
    await expect(trainEpsNet({ ...base(12, 6), resume: saved as unknown as Uint8Array })).rejects.toThrow(/hyper-parameters differ/);
  });

  it('resumes a min-SNR-γ weighted run to exactly the uninterrupted run, and the weights change the run', async () => {
    const weighted = (o: TrainEpsNetOptions): TrainEpsNetOptions => ({ ...o, training: { ...o.training, minSnrGamma: 5 } });
    const straight = await trainEpsNet(weighted(base(12, 6)));
    expect(straight.weightsHash).not.toBe((await trainEpsNet(base(12, 6))).weightsHash);
    let saved: Uint8Array | null = null;
    const stop = new AbortController();
    const first = trainEpsNet({ ...weighted(base(12, 6)), signal: stop.signal, onCheckpoint: (bytes) => ((saved = bytes), stop.abort(new Error('stop'))) });
    await expect(first).rejects.toThrow('stop');
    const resumed = await trainEpsNet({ ...weighted(base(12, 6)), resume: saved as unknown as Uint8Array });
    expect(Buffer.from(resumed.checkpoint).equals(Buffer.from(straight.checkpoint))).toBe(true);
    await expect(trainEpsNet({ ...base(12, 6), resume: saved as unknown as Uint8Array })).rejects.toThrow(/hyper-parameters differ/);
  });

  it('refuses to resume under different hyper-parameters', async () => {
    const { checkpoint } = await trainEpsNet(base(2, 2));
    await expect(trainEpsNet({ ...base(4, 2), pUncond: 0.5, resume: checkpoint })).rejects.toThrow(/cannot resume.*hyper-parameters differ/);
  });
});

describe('the training engine', () => {
  it('is reported, and GUIDANCE_TRAINING is checked by name', async () => {
    await initBackend('wasm');
    const options: TrainEpsNetOptions = { data, schedule, model: { hidden: 16, depth: 1, channels: [8], blocksPerLevel: 1 }, training: { steps: 2, batchSize: 8, learningRate: 1e-3, emaDecay: 0.9, checkpointEvery: 2 }, pUncond: 0.2, seed: 1 };
    expect((await trainEpsNet({ ...options, engine: 'tfjs' })).engine).toBe('tfjs');
    expect((await trainEpsNet({ ...options, engine: 'onnxruntime' })).engine).toBe('onnxruntime');
    process.env.GUIDANCE_TRAINING = 'gpu';
    try {
      const before = tf.memory().numTensors;
      await expect(trainEpsNet(options)).rejects.toThrow("GUIDANCE_TRAINING must be one of auto, onnxruntime, tfjs; got 'gpu'");
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      delete process.env.GUIDANCE_TRAINING;
    }
  });
});
