/** Stored samples: 8-bit images, float32 points, the .npz download, and the size estimate the API's cap uses. */
import { describe, expect, it } from 'vitest';
import { decodeNpz } from './npy';
import { bytesPerSample, pixelByte, sampleStoreEstimate, sampleValues, samplesFromNpz, samplesToNpz, storedSamples } from './samples';
import { parseSpec } from './spec';

describe('stored samples', () => {
  it('quantise image values in [−1, 1] to bytes (clipped) and read them back to within half a step', () => {
    expect([-1, -2, 0, 1, 3].map(pixelByte)).toEqual([0, 0, 128, 255, 255]);
    const x = Float32Array.from({ length: 2 * 4 }, (_, i) => Math.sin(i));
    const set = storedSamples(x, [2, 2, 1], new Int32Array([0, 1]), 3);
    expect(set.x).toBeInstanceOf(Uint8Array);
    for (const [i, v] of sampleValues(set).entries()) expect(Math.abs(v - x[i])).toBeLessThanOrEqual(1 / 255 + 1e-7);
  });

  it('keep 2-D points as float32, bit for bit', () => {
    const x = new Float32Array([0.1, -7.25, 1e-20, 3]);
    expect(sampleValues(storedSamples(x, [2], new Int32Array([0, 1]), 0))).toBe(x);
  });
});

describe('samples.npz', () => {
  it('holds x (grey images as N×H×W uint8), y (int32) and seed (run seed, index) as int64', () => {
    const set = storedSamples(Float32Array.from({ length: 3 * 4 }, (_, i) => i / 6 - 1), [2, 2, 1], new Int32Array([0, 0, 1]), 42);
    const arrays = decodeNpz(samplesToNpz(set));
    expect(arrays.x.shape).toEqual([3, 2, 2]);
    expect(arrays.x.data).toEqual(set.x);
    expect(arrays.y).toEqual({ data: new Int32Array([0, 0, 1]), shape: [3] });
    expect(arrays.seed).toEqual({ data: new BigInt64Array([42n, 0n, 42n, 1n, 42n, 2n]), shape: [3, 2] });
  });

  it('round-trips a sample set bit-exactly, images and points', () => {
    const rgb = storedSamples(Float32Array.from({ length: 2 * 2 * 2 * 3 }, (_, i) => Math.cos(i)), [2, 2, 3], new Int32Array([1, 0]), 9);
    const points = storedSamples(Float32Array.from({ length: 6 }, (_, i) => Math.PI * i - 4), [2], new Int32Array([2, 2, 0]), 2 ** 31 - 1);
    for (const set of [rgb, points]) expect(samplesFromNpz(samplesToNpz(set))).toEqual(set);
  });
});

describe('the sample store estimate', () => {
  it('is runs × samples per run × (values + label + prediction) bytes', () => {
    const mnist = parseSpec({ dataset: { kind: 'mnist' }, guidance: ['classifier-free'], scales: [1, 2], samplesPerClass: 100 });
    expect(bytesPerSample(mnist.dataset)).toBe(28 * 28 + 12);
    expect(sampleStoreEstimate(mnist, 2)).toEqual({ runs: 2, samplesPerRun: 1000, bytesPerSample: 796, bytes: 2 * 1000 * 796 });
    const toy = parseSpec({ dataset: { kind: 'toy2d', classes: 3 }, guidance: ['none'], scales: [0] });
    expect(sampleStoreEstimate(toy, 1).bytes).toBe(3 * 100 * (8 + 12));
  });
});
