import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/index';
import { maxRelativeError } from '../../testing/relativeError';
import { silu } from './layers';

describe('SiLU with its hand-derived gradient', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it.each([[[64]], [[3, 5, 4, 6]]])('matches autodiff of x·σ(x) on %j: value and ∂x to 1e-5', (shape) => {
    // Wide enough for both tails of the sigmoid.
    const x = tf.mul(tf.randomNormal(shape, 0, 1, 'float32', 1), 6);
    const dy = tf.randomNormal(shape, 0, 1, 'float32', 2);
    const reference = (a: tf.Tensor) => tf.mul(a, tf.sigmoid(a));
    expect(maxRelativeError(silu(x).dataSync(), reference(x).dataSync())).toBeLessThan(1e-5);
    const got = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(silu(a), dy)))(x);
    const want = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(reference(a), dy)))(x);
    expect(maxRelativeError(got.dataSync(), want.dataSync())).toBeLessThan(1e-5);
    expect(tf.max(tf.abs(got)).dataSync()[0]).toBeGreaterThan(1e-1); // a real gradient
  });

  it('keeps no tensor of its own: the saved σ and y go with the gradient, the forward intermediates with tidy', () => {
    const [x, dy] = [tf.randomNormal([4, 5], 0, 1, 'float32', 3), tf.randomNormal([4, 5], 0, 1, 'float32', 4)];
    const before = tf.memory().numTensors;
    const kept = [tf.tidy(() => tf.grad((a: tf.Tensor) => tf.sum(tf.mul(silu(a), dy)))(x)), tf.tidy(() => silu(x))];
    expect(tf.memory().numTensors - before).toBe(kept.length);
    tf.dispose([...kept, x, dy]);
  });
});
