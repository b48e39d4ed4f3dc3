import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from './index';

/** Runs `f` on a backend and returns its results as plain arrays. */
async function on(backend: string, f: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const outs = tf.tidy(f);
  const data = outs.map((t) => t.dataSync() as Float32Array);
  tf.dispose(outs);
  return data;
}

function relErr(a: Float32Array, b: Float32Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / den);
}

const seeded = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, 'float32', seed);

describe('wasm Conv2D gradient kernels', () => {
  beforeAll(async () => {
    expect(await initBackend('wasm')).toBe('wasm');
  });

  for (const [stride, pad, h] of [[1, 'same', 7], [2, 'same', 8], [2, 'same', 7], [2, 'valid', 8], [1, 'valid', 6]] as const) {
    it(`match the cpu backend for stride ${stride}, '${pad}' padding, ${h}×${h} input`, async () => {
      const grads = () => {
        const x = seeded([2, h, h, 3], 1);
        const w = seeded([3, 3, 3, 5], 2);
        const dy = seeded(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, pad).shape, 3);
        const f = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad), dy));
        return tf.grads(f)([x, w]);
      };
      const [dxCpu, dwCpu] = await on('cpu', grads);
      const [dxWasm, dwWasm] = await on('wasm', grads);
      expect(relErr(dxWasm, dxCpu)).toBeLessThan(1e-4);
      expect(relErr(dwWasm, dwCpu)).toBeLessThan(1e-4);
    });
  }

  it('give the same full gradient of a small conv net on cpu and wasm', async () => {
    const net = () => {
      const x = seeded([4, 12, 12, 2], 4);
      const w1 = seeded([3, 3, 2, 8], 5);
      const w2 = seeded([3, 3, 8, 8], 6);
      const w3 = seeded([8, 3], 7);
      const loss = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => {
        const h1 = tf.relu(tf.conv2d(x as tf.Tensor4D, a as tf.Tensor4D, 1, 'same'));
        const h2 = tf.tanh(tf.conv2d(h1, b as tf.Tensor4D, 2, 'same'));
        return tf.sum(tf.square(tf.matMul(tf.mean(h2, [1, 2]), c as tf.Tensor2D)));
      };
      return tf.grads(loss)([w1, w2, w3]);
    };
    const cpu = await on('cpu', net);
    const wasm = await on('wasm', net);
    for (let i = 0; i < cpu.length; i++) expect(relErr(wasm[i], cpu[i])).toBeLessThan(1e-4);
  });
});
