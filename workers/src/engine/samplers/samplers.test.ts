import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { bayesClassify, empiricalMoments, exactEps, exactLogProb, mixtureMoments, sampleToy2d, toy2dMixture } from '../data/toy2d';
import { classifierFree, classifierGuidance, gradLogProbOf, noGuidance } from '../guidance';
import { makeSchedule } from '../schedules';
import type { Progress } from '../types';
import { getSampler, type SampleOptions } from './index';
import { initBackend } from '../backend/index';

beforeAll(async () => {
  await initBackend('cpu');
});

const K = 4;
const mix = toy2dMixture({ classes: K, modesPerClass: 3, seed: 0 });
const schedule = makeSchedule({ kind: 'linear', T: 1000 });
const eps = exactEps(mix, schedule);

async function draw(name: 'ddpm' | 'ddim', opts: Partial<SampleOptions> & { labels: Int32Array }): Promise<Float32Array> {
  const out = await getSampler(name)({ schedule, rule: noGuidance(eps), shape: [2], steps: 100, seed: 3, ...opts });
  const x = out.dataSync() as Float32Array;
  out.dispose();
  return x;
}

/** Fraction of rows the Bayes classifier assigns to each class. */
function classShares(xs: Float32Array): number[] {
  const labels = bayesClassify(mix, xs);
  return Array.from({ length: K }, (_, c) => labels.filter((y) => y === c).length / labels.length);
}

function expectMoments(xs: Float32Array, c?: number) {
  const want = mixtureMoments(mix, c);
  const got = empiricalMoments(xs);
  for (const i of [0, 1]) {
    expect(Math.abs(got.mean[i] - want.mean[i])).toBeLessThan(0.05);
    for (const j of [0, 1]) expect(Math.abs(got.cov[i][j] - want.cov[i][j])).toBeLessThan(0.05);
  }
}

describe('with the exact ε of the mixture, both samplers reproduce it', () => {
  const N = 2000;
  const realShares = classShares(sampleToy2d(mix, N, 99).x);
  for (const [name, eta] of [['ddpm', 0], ['ddim', 0], ['ddim', 1]] as const) {
    test(`${name} η=${eta}: moments and class proportions of the unconditional mixture`, async () => {
      const xs = await draw(name, { labels: new Int32Array(N).fill(K), eta });
      expectMoments(xs);
      classShares(xs).forEach((share, c) => expect(Math.abs(share - realShares[c])).toBeLessThan(0.05));
    });
  }

  test('ddpm and ddim(η=1) are the same chain over respaced steps (σ² = β̃), draw for draw', async () => {
    const labels = new Int32Array(64).fill(1);
    const a = await draw('ddpm', { labels, steps: 20 });
    const b = await draw('ddim', { labels, steps: 20, eta: 1 });
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 4));
  });
});

describe('the sampling loop', () => {
  test('noise depends only on (seed, sample index, step): batching does not change a sample', async () => {
    const labels = Int32Array.from({ length: 25 }, (_, i) => i % (K + 1));
    const whole = await draw('ddpm', { labels, steps: 10 });
    const inBatchesOf3 = await draw('ddpm', { labels: labels.subarray(0, 10), steps: 10, batchSize: 3 });
    inBatchesOf3.forEach((v, i) => expect(v).toBeCloseTo(whole[i], 5));
    const otherSeed = await draw('ddpm', { labels, steps: 10, seed: 4 });
    expect(Math.abs(otherSeed[0] - whole[0])).toBeGreaterThan(1e-3);
  });

  test('reports progress per step over all batches', async () => {
    const seen: Progress[] = [];
    await draw('ddim', { labels: new Int32Array(10), steps: 5, batchSize: 4, onProgress: (p) => seen.push(p) });
    expect(seen.map((p) => p.done)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    expect(seen.every((p) => p.total === 15 && p.phase === 'sample')).toBe(true);
  });

  test('an abort between steps rejects with an AbortError and leaks nothing', async () => {
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const run = draw('ddpm', { labels: new Int32Array(8), steps: 50, signal: controller.signal, onProgress: (p) => p.done === 3 && controller.abort() });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(tf.memory().numTensors).toBe(before);
  });

  test('no tensor leaks across sampling calls, with and without a classifier gradient', async () => {
    const labels = Int32Array.from({ length: 40 }, (_, i) => i % K);
    const rules = [noGuidance(eps), classifierFree(eps, 2, K), classifierGuidance(eps, gradLogProbOf(exactLogProb(mix, schedule)), 2, K)];
    for (const rule of rules) {
      for (const name of ['ddpm', 'ddim'] as const) {
        const before = tf.memory().numTensors;
        const out = await getSampler(name)({ schedule, rule, shape: [2], labels, steps: 8, eta: 0.5, seed: 0, batchSize: 16 });
        expect(out.shape).toEqual([40, 2]);
        out.dispose();
        expect(tf.memory().numTensors).toBe(before);
      }
    }
  });

  test('x̂₀ clipping bounds the deterministic DDIM output', async () => {
    const xs = await draw('ddim', { labels: new Int32Array(200).fill(K), steps: 20, clip: 0.5 });
    expect(Math.max(...xs.map(Math.abs))).toBeLessThanOrEqual(0.5 + 1e-6);
  });

  test('refuses bad options by name', async () => {
    const labels = new Int32Array(2);
    await expect(draw('ddim', { labels, eta: 1.5 })).rejects.toThrow(/eta must be a number from 0 to 1/);
    await expect(draw('ddim', { labels, steps: 1001 })).rejects.toThrow(/sampling steps must be a whole number from 1 to T \(1000\)/);
    await expect(draw('ddpm', { labels: new Int32Array(0) })).rejects.toThrow(/labels must be a non-empty Int32Array/);
    await expect(draw('ddpm', { labels, clip: 0 })).rejects.toThrow(/clip must be a positive number or null/);
    expect(() => getSampler('euler' as 'ddim')).toThrow(/sampler must be ddpm or ddim/);
  });
});
