import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/index';
import { maxRelativeError } from '../../testing/relativeError';
import { exportForward } from './export';
import { createSession, loadOrt, nchwcBlockSize } from './session';

/**
 * A convolution and its gradients (Conv2D, Conv2DBackpropFilter, Conv2DBackpropInput) exported
 * alone, at the geometries the networks use and a few they could, with plain ONNX convolutions and
 * with onnxruntime's NCHWc kernels (used where the channels fill whole blocks): each held to
 * tfjs's own kernels within 1e-4.
 */
const geometries = [
  { name: '3×3 same, stride 1', x: [3, 9, 7, 5], k: 3, co: 6, stride: 1, pad: 'same' },
  { name: '3×3 same, stride 2, odd size', x: [2, 9, 7, 4], k: 3, co: 3, stride: 2, pad: 'same' },
  { name: '3×3 valid, stride 2 (the downsample after its explicit pad)', x: [2, 10, 10, 4], k: 3, co: 4, stride: 2, pad: 'valid' },
  { name: '1×1 skip projection', x: [4, 6, 6, 8], k: 1, co: 5, stride: 1, pad: 'same' },
  { name: '3×3 valid, stride 1, one input channel', x: [3, 8, 6, 1], k: 3, co: 4, stride: 1, pad: 'valid' },
  { name: '3×3 same, stride 1, 16 → 16 channels', x: [2, 7, 6, 16], k: 3, co: 16, stride: 1, pad: 'same' },
  { name: '3×3 same, stride 2, odd size, 16 → 32 channels', x: [2, 9, 7, 16], k: 3, co: 32, stride: 2, pad: 'same' },
  // Fewer output than input channels: the weight gradient shifts dy instead of x (valid and uneven 'same' padding).
  { name: '3×3 valid, stride 1, 8 → 3 channels', x: [2, 8, 7, 8], k: 3, co: 3, stride: 1, pad: 'valid' },
  { name: '2×2 same (padding only after), stride 1, 6 → 2 channels', x: [3, 5, 6, 6], k: 2, co: 2, stride: 1, pad: 'same' },
  { name: '2×2 valid, stride 2, odd sizes (the last row and column unread)', x: [2, 7, 9, 3], k: 2, co: 4, stride: 2, pad: 'valid' },
  { name: '3×3 same, strides 1 × 2', x: [2, 6, 9, 4], k: 3, co: 3, stride: [1, 2], pad: 'same' },
] as const;

const usesNchwc = (model: Uint8Array) => Buffer.from(model).includes('com.microsoft.nchwc');

describe('an exported convolution and its gradients match tfjs (1e-4 relative)', () => {
  let ort: Awaited<ReturnType<typeof loadOrt>>;
  let block: number | undefined;
  beforeAll(async () => {
    await initBackend('cpu');
    ort = await loadOrt();
    block = await nchwcBlockSize(ort!);
  });
  afterAll(() => tf.disposeVariables());

  it('finds the NCHWc kernels on x86-64 (block 8 with AVX2, 16 with AVX-512)', () => {
    if (process.arch === 'x64') expect([8, 16]).toContain(block);
  });

  it.each(geometries.flatMap((g) => [{ ...g, nchwc: false }, { ...g, nchwc: true }]))('$name (NCHWc kernels allowed: $nchwc)', async ({ x: shape, k, co, stride: strides, pad, nchwc }) => {
    const stride: number | [number, number] = typeof strides === 'number' ? strides : [strides[0], strides[1]];
    const x = tf.randomNormal([...shape], 0, 1, 'float32', 1);
    const w = tf.randomNormal([k, k, shape[3], co], 0, 0.3, 'float32', 2);
    const probe = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, pad);
    const dy = tf.randomNormal(probe.shape, 0, 1, 'float32', 3); // a non-uniform upstream gradient
    // Σ dy·conv(x, w): its gradients are exactly the two backprop kernels applied to dy.
    const grads = () => {
      const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad), dy)))([x, w]);
      return { y: tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, pad), dx, dw };
    };
    const model = exportForward('conv-grads', [{ name: 'x', tensor: x }, { name: 'w', tensor: w }], new Map(), grads, { nchwcBlock: nchwc ? block : undefined });
    const wholeBlocks = block !== undefined && shape[3] % block === 0 && co % block === 0;
    expect(usesNchwc(model)).toBe(nchwc && wholeBlocks);
    const session = await createSession(ort!, model, { threads: 1 });
    const out = await session.run({ x: new ort!.Tensor('float32', x.dataSync() as Float32Array, shape), w: new ort!.Tensor('float32', w.dataSync() as Float32Array, w.shape) });
    const want = grads();
    expect(out.dw.dims).toEqual(want.dw.shape);
    expect(maxRelativeError(out.dw.data as Float32Array, want.dw.dataSync())).toBeLessThan(1e-4);
    expect(maxRelativeError(out.dx.data as Float32Array, want.dx.dataSync())).toBeLessThan(1e-4);
    expect(maxRelativeError(out.y.data as Float32Array, want.y.dataSync())).toBeLessThan(1e-4);
    await session.release();
    tf.dispose([x, w, probe, dy, want.y, want.dx, want.dw]);
  });
});
