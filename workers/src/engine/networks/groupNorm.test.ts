import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/index';
import { maxRelativeError } from '../../testing/relativeError';
import { groupNorm, groupsFor } from './layers';
import { fromParams } from './params';

/** GroupNorm as the textbook formula, differentiated by autodiff: the reference for the hand-derived gradient. */
function reference(x: tf.Tensor4D, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  const [n, h, w, c] = x.shape;
  const g = groupsFor(c);
  const grouped = tf.reshape(x, [n, h, w, g, c / g]);
  const { mean, variance } = tf.moments(grouped, [1, 2, 4], true);
  const normed = tf.reshape(tf.div(tf.sub(grouped, mean), tf.sqrt(tf.add(variance, 1e-5))), [n, h, w, c]);
  return tf.add(tf.mul(normed, gamma), beta);
}

describe('GroupNorm with its hand-derived gradient', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  // 16 channels: 8 groups of 2; 4 channels: 4 groups of 1; 12: 6 groups of 2 (8 does not divide 12).
  it.each([
    [2, 5, 3, 16],
    [3, 4, 4, 4],
    [1, 6, 2, 12],
  ])('matches autodiff of the formula on [%i, %i, %i, %i]: value and ∂x, ∂γ, ∂β to 1e-5', (n, h, w, c) => {
    // An offset and scale per channel, so the statistics are far from 0 and 1.
    const x = tf.add(tf.mul(tf.randomNormal([n, h, w, c], 0, 1, 'float32', 1), tf.linspace(0.5, 3, c)), tf.linspace(-2, 5, c)) as tf.Tensor4D;
    const gamma = tf.randomNormal([c], 1, 0.3, 'float32', 2);
    const beta = tf.randomNormal([c], 0, 0.3, 'float32', 3);
    const dy = tf.randomNormal([n, h, w, c], 0, 1, 'float32', 4);
    const ours = (a: tf.Tensor, b: tf.Tensor, d: tf.Tensor) => groupNorm(fromParams(new Map([['gn.gamma', b], ['gn.beta', d]])), 'gn', a as tf.Tensor4D);
    const theirs = (a: tf.Tensor, b: tf.Tensor, d: tf.Tensor) => reference(a as tf.Tensor4D, b, d);
    const loss = (f: (a: tf.Tensor, b: tf.Tensor, d: tf.Tensor) => tf.Tensor) => (a: tf.Tensor, b: tf.Tensor, d: tf.Tensor) => tf.sum(tf.mul(f(a, b, d), dy));
    expect(maxRelativeError(ours(x, gamma, beta).dataSync(), theirs(x, gamma, beta).dataSync())).toBeLessThan(1e-5);
    const got = tf.grads(loss(ours))([x, gamma, beta]);
    const want = tf.grads(loss(theirs))([x, gamma, beta]);
    for (let i = 0; i < 3; i++) expect(maxRelativeError(got[i].dataSync(), want[i].dataSync()), ['∂x', '∂γ', '∂β'][i]).toBeLessThan(1e-5);
    expect(tf.max(tf.abs(got[0])).dataSync()[0]).toBeGreaterThan(1e-2); // a real gradient
  });
});
