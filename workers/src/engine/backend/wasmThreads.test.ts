import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { classifierFree } from '../guidance/index';
import { applyEps, epsNetConfig, initParams, disposeParams } from '../networks/index';
import { activationFloatsPerSample } from '../onnx/trace';
import { sampleDdim } from '../samplers/index';
import { linearSchedule } from '../schedules/index';
import { trainEpsNet } from '../training/index';
import type { LabelledData } from '../types';
import { maxRelativeError } from '../../testing/relativeError';
import { registerGradients } from './gradients';
import { configureWasm } from './wasmSetup';
import { useThreadedWasm, wasmBatchCap } from './wasmThreads';

/** A seeded convolution and its result on the plain cpu backend, the reference. */
function convCase() {
  const x = tf.randomNormal([2, 9, 9, 4], 0, 1, 'float32', 11);
  const w = tf.randomNormal([3, 3, 4, 8], 0, 1, 'float32', 12);
  return { x, w, run: () => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same').dataSync() as Float32Array };
}

async function cpuReference(): Promise<Float32Array> {
  await tf.setBackend('cpu');
  const c = convCase();
  const out = c.run();
  tf.dispose([c.x, c.w]);
  return out;
}

async function onWasm(): Promise<Float32Array> {
  const c = convCase();
  const out = c.run();
  tf.dispose([c.x, c.w]);
  return out;
}

describe('threaded wasm backend', () => {
  it('falls back cleanly to the single-thread build when the threaded build cannot start', async () => {
    const expected = await cpuReference();
    const r = await useThreadedWasm({ threads: 2, files: { wasm: '/nonexistent/tfjs-backend-wasm-threaded-simd.wasm' } });
    expect(r.threaded).toBe(false);
    expect(r.reason).toMatch(/wasm file not found: \/nonexistent/);
    expect(r.threads).toBe(1);
    expect(tf.getBackend()).toBe('wasm');
    expect(maxRelativeError(await onWasm(), expected)).toBeLessThan(1e-5);
  });

  it('uses the stock build when one thread is asked for, and rejects a bad count', async () => {
    const r = await useThreadedWasm({ threads: 1 });
    expect(r).toEqual({ threaded: false, threads: 1, reason: 'one thread requested' });
    await expect(useThreadedWasm({ threads: 0 })).rejects.toThrow(/whole number from 1 to 256, got 0/);
  });

  it('runs the threaded SIMD build with the requested threads and matches the cpu backend', async () => {
    const expected = await cpuReference();
    const r = await useThreadedWasm({ threads: 2 });
    expect(r).toEqual({ threaded: true, threads: 2 });
    expect(getThreadsCount()).toBe(2);
    expect(tf.getBackend()).toBe('wasm');
    expect(maxRelativeError(await onWasm(), expected)).toBeLessThan(1e-5);
    // Asking again with the same options reuses the running backend.
    expect(await useThreadedWasm({ threads: 2 })).toBe(r);
  });

  it('keeps tf.memory().numTensors flat across training and sampling steps', async () => {
    await registerGradients();
    configureWasm(); // the engine's wasm gradient kernels (the U-Net's conv backward)
    expect((await useThreadedWasm({ threads: 2 })).threaded).toBe(true);
    const cfgModel = { hidden: 32, depth: 1, channels: [8, 16], blocksPerLevel: 1 };
    const data: LabelledData = {
      shape: [8, 8, 1],
      x: Float32Array.from({ length: 64 * 64 }, (_, i) => Math.sin(i)),
      y: Int32Array.from({ length: 64 }, (_, i) => i % 3),
      classes: 3,
      classNames: ['a', 'b', 'c'],
    };
    const base = tf.memory().numTensors;
    const during: number[] = [];
    const trained = await trainEpsNet({
      data,
      schedule: linearSchedule(50),
      model: cfgModel,
      training: { steps: 4, batchSize: 4, learningRate: 1e-3, emaDecay: 0.9, checkpointEvery: 100 },
      pUncond: 0.2,
      seed: 0,
      onProgress: () => during.push(tf.memory().numTensors),
    });
    expect(during).toHaveLength(4);
    expect(new Set(during).size).toBe(1);
    expect(tf.memory().numTensors).toBe(base);
    expect(trained.curve.every((p) => Number.isFinite(p.loss))).toBe(true);

    const cfg = epsNetConfig(cfgModel, data);
    const params = initParams(cfg, 0);
    const withParams = tf.memory().numTensors;
    const steps: number[] = [];
    const eps = (x: tf.Tensor, t: tf.Tensor1D, y: tf.Tensor1D) => tf.tidy(() => applyEps(cfg, params, x, t, y));
    const out = await sampleDdim({
      schedule: linearSchedule(50),
      rule: classifierFree(eps, 2, 3),
      shape: data.shape,
      labels: Int32Array.from([0, 1, 2]),
      steps: 4,
      seed: 0,
      clip: 1,
      onProgress: () => steps.push(tf.memory().numTensors),
    });
    expect(steps).toHaveLength(4);
    expect(new Set(steps).size).toBe(1);
    out.dispose();
    disposeParams(params);
    expect(tf.memory().numTensors).toBe(withParams - params.size);
  });

  it('caps batches by activation size against the 4 GiB heap', async () => {
    await tf.setBackend('cpu');
    const w = tf.ones([3, 4]);
    const b = tf.zeros([4]);
    const x = tf.ones([1, 3]);
    // MatMul [1, 4] then Add [1, 4]: 8 activation floats per sample; the trace frees its own tensors.
    const before = tf.memory().numTensors;
    expect(activationFloatsPerSample(() => tf.add(tf.matMul(x, w), b))).toBe(8);
    expect(activationFloatsPerSample(() => ({ y: tf.add(tf.matMul(x, w), b) }))).toBe(8);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([w, b, x]);
    // 3 GiB budget at 8 heap bytes per float (training) and 3.2 (inference).
    expect(wasmBatchCap(8, 'train')).toBe(Math.floor((3 * 2 ** 30) / 64));
    expect(wasmBatchCap(3_516_305, 'train')).toBe(114); // the 32/64/64 MNIST U-Net: batch 128 reached 3.2 GiB
    expect(wasmBatchCap(3_516_305, 'infer')).toBe(286); // so CFG at 256 samples (512 forwards) cannot fit
    expect(() => wasmBatchCap(0, 'infer')).toThrow(/positive number, got 0/);
  });
});
