import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from './index';

/** Runs `f` on a backend and returns its results as plain arrays with their shapes. */
async function on(backend: string, f: () => tf.Tensor[]): Promise<{ shape: number[]; values: number[] }[]> {
  await tf.setBackend(backend);
  const outs = tf.tidy(f);
  const data = outs.map((t) => ({ shape: t.shape, values: Array.from(t.dataSync()) }));
  tf.dispose(outs);
  return data;
}

const counting = (shape: number[], dtype: 'float32' | 'int32' = 'float32') =>
  tf.tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => (dtype === 'int32' ? i : i * 0.5 - 3)), shape, dtype);

describe('wasm Slice / SplitV / Concat', () => {
  beforeAll(async () => {
    expect(await initBackend('wasm')).toBe('wasm');
  });

  it('match the cpu backend along every axis, contiguous or strided, float32 and int32', async () => {
    const cases = () => {
      const x = counting([3, 4, 5, 6]);
      const ints = counting([4, 7], 'int32');
      return [
        tf.slice(x, [1, 0, 0, 0], [2, 4, 5, 6]), // contiguous
        tf.slice(x, [0, 1, 0, 0], [3, 2, 5, 6]), // one axis cut, inner rows
        tf.slice(x, [0, 0, 0, 2], [3, 4, 5, 3]), // last axis: short strided runs
        tf.slice(x, [1, 1, 0, 2], [1, 2, 5, 3]), // two axes cut: the stock kernel
        tf.slice(counting([10]), [3], [4]),
        ...tf.split(x, [2, 4], 3),
        ...tf.split(x, 2, 1),
        ...tf.split(ints, [3, 4], 1),
        tf.concat([x, tf.mul(x, 2)], 3),
        tf.concat([tf.slice(x, [0, 0, 0, 0], [3, 4, 5, 1]), x, tf.slice(x, [0, 0, 0, 0], [3, 4, 5, 5])], 3),
        tf.concat([x, x], 1),
        tf.concat([x, x, x], 0),
        tf.concat([ints, ints], 1),
        tf.concat([tf.zeros([3, 0]), tf.ones([3, 2])], 1),
      ];
    };
    const [cpu, wasm] = [await on('cpu', cases), await on('wasm', cases)];
    expect(wasm).toEqual(cpu);
  });

  it('keep gradients through split and concat (each is the other\'s gradient)', async () => {
    const grad = () => {
      const x = counting([2, 3, 3, 4]);
      const [a, b] = tf.split(x, [1, 3], 3);
      return [tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.concat([tf.split(v, [1, 3], 3)[1], v], 3), tf.concat([b, a, a, a, a], 3))))(x)];
    };
    const [cpu, wasm] = [await on('cpu', grad), await on('wasm', grad)];
    expect(wasm).toEqual(cpu);
  });
});
