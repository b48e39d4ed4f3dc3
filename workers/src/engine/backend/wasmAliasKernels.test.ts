import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from './index';

describe('wasm Identity / Cast aliases', () => {
  beforeAll(async () => {
    expect(await initBackend('wasm')).toBe('wasm');
  });

  it('share the buffer safely: a clone and a same-dtype cast outlive their source', () => {
    const before = tf.memory().numTensors;
    const source = tf.tensor2d([1.5, -2, 3, 4], [2, 2]);
    const clone = tf.clone(source);
    const same = tf.cast(source, 'float32');
    const ints = tf.cast(source, 'int32');
    source.dispose();
    expect(Array.from(clone.dataSync())).toEqual([1.5, -2, 3, 4]);
    expect(Array.from(same.dataSync())).toEqual([1.5, -2, 3, 4]);
    expect([ints.dtype, ...Array.from(ints.dataSync())]).toEqual(['int32', 1, -2, 3, 4]);
    tf.dispose([clone, same, ints]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('leave gradients through Mul (whose backward casts its operands) intact', () => {
    const [ga, gb] = tf.tidy(() => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(a, b)))([tf.tensor1d([1, 2, 3]), tf.tensor1d([4, 5, 6])]).map((g) => tf.keep(g)));
    expect([Array.from(ga.dataSync()), Array.from(gb.dataSync())]).toEqual([[4, 5, 6], [1, 2, 3]]);
    tf.dispose([ga, gb]);
  });
});
