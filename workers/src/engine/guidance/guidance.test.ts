import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import { bayesClassify, empiricalMoments, exactEps, exactLogProb, mixtureMoments, toy2dMixture } from '../data/toy2d';
import { getSampler, type SamplerName } from '../samplers';
import { makeSchedule } from '../schedules';
import type { EpsFn, GuidanceRule } from '../types';
import { classifierFree, classifierGuidance, gradLogProbOf, makeGuidance, noGuidance } from './index';
import { initBackend } from '../backend/index';

// Top-level: the fixtures below already run tensors.
await initBackend('cpu');

const K = 4;
const mix = toy2dMixture({ classes: K, modesPerClass: 3, seed: 0 });
const schedule = makeSchedule({ kind: 'linear', T: 1000 });
const eps = exactEps(mix, schedule);
const gradLogProb = gradLogProbOf(exactLogProb(mix, schedule));

/** An EpsFn that records the batch size and labels of every call it forwards. */
function recording(): { fn: EpsFn; calls: { n: number; labels: number[] }[] } {
  const calls: { n: number; labels: number[] }[] = [];
  return { calls, fn: (x, t, y) => (calls.push({ n: x.shape[0], labels: Array.from(y.dataSync()) }), eps(x, t, y)) };
}

async function sampleClass(rule: GuidanceRule, name: SamplerName, c: number, n = 2000, seed = 5): Promise<Float32Array> {
  const out = await getSampler(name)({ schedule, rule, shape: [2], labels: new Int32Array(n).fill(c), steps: 100, seed });
  const xs = out.dataSync() as Float32Array;
  out.dispose();
  return xs;
}

function expectClassMoments(xs: Float32Array, c: number) {
  const want = mixtureMoments(mix, c);
  const got = empiricalMoments(xs);
  for (const i of [0, 1]) {
    expect(Math.abs(got.mean[i] - want.mean[i])).toBeLessThan(0.05);
    for (const j of [0, 1]) expect(Math.abs(got.cov[i][j] - want.cov[i][j])).toBeLessThan(0.05);
  }
}

/** Evaluates a rule's ε (and gradient) at fixed points, as the first of one step; returns plain arrays. */
async function evalRule(rule: GuidanceRule, ts: number[], ys: number[]) {
  const x = tf.tensor2d([[0.4, -0.7], [1.1, 0.2], [-0.3, 0.9]]);
  const t = tf.tensor1d(ts, 'int32');
  const y = tf.tensor1d(ys, 'int32');
  const { eps, gradient } = await rule.guide(x, t, y, { k: 0, steps: 1, timestep: ts[0], alphaBar: schedule.alphasCumprod[ts[0]], first: 0 });
  try {
    return { eps: eps.arraySync() as number[][], gradient: gradient?.arraySync() as number[][] | undefined };
  } finally {
    tf.dispose([x, t, y, eps, ...(gradient ? [gradient] : [])]);
  }
}

const ts = [30, 400, 800];
const ys = [0, 2, 3];
const conditional = (await evalRule(noGuidance(eps), ts, ys)).eps;
const unconditional = (await evalRule(noGuidance(eps), ts, [K, K, K])).eps;

describe('classifier-free guidance', () => {
  test('ε̄ = ε(∅) + s·(ε(y) − ε(∅)): s = 0 unconditional, s = 1 conditional, s > 1 extrapolates', async () => {
    for (const s of [0, 1, 3.5]) {
      (await evalRule(classifierFree(eps, s, K), ts, ys)).eps.forEach((row, i) =>
        row.forEach((v, d) => expect(v).toBeCloseTo(unconditional[i][d] + s * (conditional[i][d] - unconditional[i][d]), 5)),
      );
    }
  });

  test('makes exactly one ε call per step, on the doubled batch [y; ∅]', async () => {
    const { fn, calls } = recording();
    const out = await getSampler('ddim')({ schedule, rule: classifierFree(fn, 2, K), shape: [2], labels: Int32Array.from([0, 1, 2]), steps: 7, seed: 0 });
    out.dispose();
    expect(calls.length).toBe(7);
    for (const call of calls) expect(call).toEqual({ n: 6, labels: [0, 1, 2, K, K, K] });
  });

  test('s = 1 with the exact conditional ε samples the class’s own distribution', async () => {
    expectClassMoments(await sampleClass(classifierFree(eps, 1, K), 'ddim', 1), 1);
  });
});

describe('classifier guidance', () => {
  test('on the unconditional ε at s = 1, the DDIM form ε − √(1−ᾱ)·g is exactly the conditional ε', async () => {
    const { eps: e, gradient } = await evalRule(classifierGuidance(eps, gradLogProb, 1, K), ts, ys);
    e.forEach((row, i) => {
      const k = Math.sqrt(1 - schedule.alphasCumprod[ts[i]]);
      row.forEach((v, d) => expect(v - k * gradient![i][d]).toBeCloseTo(conditional[i][d], 4));
    });
  });

  test('the gradient scales with s, and the ε-net sees ∅ for an unconditional model or y otherwise', async () => {
    const g1 = (await evalRule(classifierGuidance(eps, gradLogProb, 1, K), ts, ys)).gradient!;
    const g3 = (await evalRule(classifierGuidance(eps, gradLogProb, 3, K), ts, ys)).gradient!;
    g1.forEach((row, i) => row.forEach((v, d) => expect(g3[i][d]).toBeCloseTo(3 * v, 5)));
    const uncond = recording();
    await evalRule(classifierGuidance(uncond.fn, gradLogProb, 1, K), ts, ys);
    expect(uncond.calls).toEqual([{ n: 3, labels: [K, K, K] }]);
    const cond = recording();
    await evalRule(classifierGuidance(cond.fn, gradLogProb, 1), ts, ys);
    expect(cond.calls).toEqual([{ n: 3, labels: ys }]);
  });

  for (const name of ['ddim', 'ddpm'] as const) {
    test(`${name}: s = 1 on the exact unconditional ε and exact p_t(y|x) samples the class’s distribution`, async () => {
      expectClassMoments(await sampleClass(classifierGuidance(eps, gradLogProb, 1, K), name, 2), 2);
    });
  }
});

describe('scales above 1 concentrate each class', () => {
  /** Mean squared distance from each sample to the nearest mode of class c. */
  function modeSpread(xs: Float32Array, c: number): number {
    let total = 0;
    for (let i = 0; i < xs.length / 2; i++) {
      let best = Infinity;
      for (let j = c; j < mix.modeClass.length; j += K) best = Math.min(best, (xs[2 * i] - mix.means[2 * j]) ** 2 + (xs[2 * i + 1] - mix.means[2 * j + 1]) ** 2);
      total += best;
    }
    return total / (xs.length / 2);
  }

  // CFG through DDIM and classifier guidance through DDPM, so both guided forms are exercised. Past
  // s ≈ 2 the exact-ε samples overshoot the mode centres (spread grows again), so the scales stop there.
  const cases = [
    { kind: 'classifier-free', sampler: 'ddim', rule: (s: number) => classifierFree(eps, s, K) },
    { kind: 'classifier', sampler: 'ddpm', rule: (s: number) => classifierGuidance(eps, gradLogProb, s, K) },
  ] as const;
  for (const { kind, sampler, rule } of cases) {
    test(`${kind} (${sampler}): adherence rises and spread falls as s grows from 1 to 2`, async () => {
      const adherence: number[] = [];
      const spread: number[] = [];
      for (const s of [1, 1.5, 2]) {
        const xs = await sampleClass(rule(s), sampler, 3, 1000);
        adherence.push(bayesClassify(mix, xs).filter((y) => y === 3).length / 1000);
        spread.push(modeSpread(xs, 3));
      }
      expect(adherence[1]).toBeGreaterThan(adherence[0] + 0.05);
      expect(adherence[2]).toBeGreaterThanOrEqual(adherence[1]);
      expect(adherence[2]).toBeGreaterThan(0.9);
      expect(spread[1]).toBeLessThan(spread[0]);
      expect(spread[2]).toBeLessThan(spread[1]);
    });
  }
});

describe('makeGuidance', () => {
  test('builds the named rule and refuses bad input by name', () => {
    expect(makeGuidance('none', { eps, scale: 5, nullLabel: K })).toMatchObject({ name: 'none', scale: 0 });
    expect(makeGuidance('classifier-free', { eps, scale: 2, nullLabel: K })).toMatchObject({ name: 'classifier-free', scale: 2 });
    expect(makeGuidance('classifier', { eps, scale: 2, nullLabel: K, gradLogProb })).toMatchObject({ name: 'classifier', scale: 2 });
    expect(() => makeGuidance('classifier', { eps, scale: 2, nullLabel: K })).toThrow(/classifier guidance needs gradLogProb/);
    expect(() => makeGuidance('classifier-free', { eps, scale: -1, nullLabel: K })).toThrow(/guidance scale must be a finite number ≥ 0, got -1/);
    expect(() => makeGuidance('clip' as 'none', { eps, scale: 1, nullLabel: K })).toThrow(/guidance method must be one of: none, classifier-free, classifier, autoguidance, cfg-pp, apg, cfg-zero-star, icg/);
    expect(() => makeGuidance('autoguidance', { eps, scale: 2, nullLabel: K })).toThrow(/autoguidance needs guideEps/);
  });
});
