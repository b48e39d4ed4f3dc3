import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/index';
import { maxRelativeError } from '../../testing/relativeError';
import { exportForward } from './export';
import { createSession, loadOrt } from './session';

/**
 * The convolution gradients (Conv2DBackpropFilter, Conv2DBackpropInput) exported alone, at the
 * geometries the networks use and a few they could: each held to tfjs's own kernels within 1e-4.
 */
const geometries = [
  { name: '3×3 same, stride 1', x: [3, 9, 7, 5], k: 3, co: 6, stride: 1, pad: 'same' },
  { name: '3×3 same, stride 2, odd size', x: [2, 9, 7, 4], k: 3, co: 3, stride: 2, pad: 'same' },
  { name: '3×3 valid, stride 2 (the downsample after its explicit pad)', x: [2, 10, 10, 4], k: 3, co: 4, stride: 2, pad: 'valid' },
  { name: '1×1 skip projection', x: [4, 6, 6, 8], k: 1, co: 5, stride: 1, pad: 'same' },
  { name: '3×3 valid, stride 1, one input channel', x: [3, 8, 6, 1], k: 3, co: 4, stride: 1, pad: 'valid' },
] as const;

describe('exported convolution gradients match tfjs (1e-4 relative)', () => {
  let ort: Awaited<ReturnType<typeof loadOrt>>;
  beforeAll(async () => {
    await initBackend('cpu');
    ort = await loadOrt();
  });
  afterAll(() => tf.disposeVariables());

  it.each(geometries)('$name', async ({ x: shape, k, co, stride, pad }) => {
    const x = tf.randomNormal([...shape], 0, 1, 'float32', 1);
    const w = tf.randomNormal([k, k, shape[3], co], 0, 0.3, 'float32', 2);
    const probe = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, pad);
    const dy = tf.randomNormal(probe.shape, 0, 1, 'float32', 3); // a non-uniform upstream gradient
    // Σ dy·conv(x, w): its gradients are exactly the two backprop kernels applied to dy.
    const grads = () => {
      const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad), dy)))([x, w]);
      return { dx, dw };
    };
    const model = exportForward('conv-grads', [{ name: 'x', tensor: x }, { name: 'w', tensor: w }], new Map(), grads);
    const session = await createSession(ort!, model, { threads: 1 });
    const out = await session.run({ x: new ort!.Tensor('float32', x.dataSync() as Float32Array, shape), w: new ort!.Tensor('float32', w.dataSync() as Float32Array, w.shape) });
    const want = grads();
    expect(out.dw.dims).toEqual(want.dw.shape);
    expect(maxRelativeError(out.dw.data as Float32Array, want.dw.dataSync())).toBeLessThan(1e-4);
    expect(maxRelativeError(out.dx.data as Float32Array, want.dx.dataSync())).toBeLessThan(1e-4);
    await session.release();
    tf.dispose([x, w, probe, dy, want.dx, want.dw]);
  });
});
