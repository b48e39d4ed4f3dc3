/**
 * The 2023–25 guidance methods against closed forms on the toy2d mixture's exact ε: each reduces to
 * plain CFG or conditional / unconditional sampling at the parameter setting its paper names.
 */
import type { MethodSetting } from '@guidance-lab/experiments/methods';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import { initBackend } from '../backend/index';
import { exactEps, toy2dMixture } from '../data/toy2d';
import { getSampler, type SamplerName } from '../samplers';
import { dynamicThreshold } from '../samplers/threshold';
import { makeSchedule } from '../schedules';
import type { EpsFn, GuidanceRule, StepAt } from '../types';
import { adaptiveProjected, autoguidance, cfgPlusPlus, cfgZeroStar, classifierFree, independentCondition, independentLabels, makeGuidance, noGuidance, noiseLevel, scheduledScale } from './index';

await initBackend('cpu');

const K = 4;
const mix = toy2dMixture({ classes: K, modesPerClass: 3, seed: 0 });
const schedule = makeSchedule({ kind: 'linear', T: 1000 });
const eps = exactEps(mix, schedule);
const labels = Int32Array.from({ length: 24 }, (_, i) => i % K);
/** Every σ_t of the linear schedule lies in [σ(ᾱ_0), σ(ᾱ_{T−1})] ⊂ [0.01, 200]. */
const EVERY_SIGMA: [number, number] = [0, 1e4];

async function sample(rule: GuidanceRule, sampler: SamplerName = 'ddim', extra: { steps?: number; eta?: number; labels?: Int32Array } = {}): Promise<Float32Array> {
  const out = await getSampler(sampler)({ schedule, rule, shape: [2], labels: extra.labels ?? labels, steps: extra.steps ?? 20, eta: extra.eta ?? 0, seed: 7 });
  try {
    return out.dataSync() as Float32Array;
  } finally {
    out.dispose();
  }
}

function expectSame(a: Float32Array, b: Float32Array, digits = 4) {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(v).toBeCloseTo(b[i], digits));
}

const x = [[0.4, -0.7], [1.1, 0.2], [-0.3, 0.9]];
const ys = [0, 2, 3];
const at = (timestep: number, k = 0, steps = 1, first = 0): StepAt => ({ k, steps, timestep, alphaBar: schedule.alphasCumprod[timestep], first });

/** A rule's ε at three fixed points, all at one timestep. */
async function evalAt(rule: GuidanceRule, timestep: number, y = ys, where = at(timestep)): Promise<number[][]> {
  const xt = tf.tensor2d(x);
  const t = tf.fill([3], timestep, 'int32') as tf.Tensor1D;
  const yt = tf.tensor1d(y, 'int32');
  const out = await rule.guide(xt, t, yt, where);
  try {
    return out.eps.arraySync() as number[][];
  } finally {
    tf.dispose([xt, t, yt, out.eps, ...(out.renoise ? [out.renoise] : [])]);
  }
}

const TIMESTEP = 400;
const cond = await evalAt(noGuidance(eps), TIMESTEP);
const uncond = await evalAt(noGuidance(eps), TIMESTEP, [K, K, K]);
const cfg = (s: number) => cond.map((row, i) => row.map((c, d) => uncond[i][d] + s * (c - uncond[i][d])));
const dotRow = (a: number[], b: number[]) => a.reduce((t, v, d) => t + v * b[d], 0);

function expectRows(got: number[][], want: number[][], digits = 5) {
  got.forEach((row, i) => row.forEach((v, d) => expect(v).toBeCloseTo(want[i][d], digits)));
}

/** Counts the samples of every ε call (to see which passes a rule makes). */
function counting(): { fn: EpsFn; sizes: number[] } {
  const sizes: number[] = [];
  return { sizes, fn: (xx, t, y) => (sizes.push(xx.shape[0]), eps(xx, t, y)) };
}

describe('guidance rescale (Lin et al. 2023)', () => {
  test('φ = 0 is CFG; φ = 1 gives every sample the standard deviation of ε_c, along the CFG direction', async () => {
    expectRows(await evalAt(classifierFree(eps, 3, K, { rescale: 0 }), TIMESTEP), cfg(3));
    const full = await evalAt(classifierFree(eps, 3, K, { rescale: 1 }), TIMESTEP);
    const std = (r: number[]) => Math.abs(r[0] - r[1]) / 2; // two values: population std = |a − b|/2
    full.forEach((row, i) => {
      expect(std(row)).toBeCloseTo(std(cond[i]), 5);
      const ratio = row[0] / cfg(3)[i][0];
      expect(row[1] / cfg(3)[i][1]).toBeCloseTo(ratio, 5);
    });
  });
});

describe('guidance interval (Kynkäänniemi et al. 2024)', () => {
  test('σ_t = √((1−ᾱ)/ᾱ)', () => {
    expect(noiseLevel(0.5)).toBeCloseTo(1, 12);
    expect(noiseLevel(0.2)).toBeCloseTo(2, 12);
  });

  for (const sampler of ['ddim', 'ddpm'] as const) {
    test(`${sampler}: an interval covering every σ is CFG; an empty one is the conditional model without an unconditional pass`, async () => {
      expectSame(await sample(classifierFree(eps, 2.5, K, { interval: EVERY_SIGMA }), sampler), await sample(classifierFree(eps, 2.5, K), sampler));
      const calls = counting();
      const empty = await sample(classifierFree(calls.fn, 2.5, K, { interval: [50, 40] as [number, number] }), sampler);
      expectSame(empty, await sample(noGuidance(eps), sampler));
      expect(calls.sizes.every((n) => n === labels.length)).toBe(true);
    });
  }

  test('guides exactly on the steps whose σ lies inside', async () => {
    const sigma = noiseLevel(schedule.alphasCumprod[TIMESTEP]);
    const rule = classifierFree(eps, 3, K, { interval: [sigma * 0.9, sigma * 1.1] });
    expectRows(await evalAt(rule, TIMESTEP), cfg(3));
    const outside = classifierFree(eps, 3, K, { interval: [sigma * 1.1, sigma * 2] });
    expectRows(await evalAt(outside, TIMESTEP), cond);
  });

  test('autoguidance with an interval covering every σ is autoguidance without one', async () => {
    const weak: EpsFn = (xx, t, y) => tf.tidy(() => tf.mul(eps(xx, t, y), 0.8));
    expectSame(await sample(autoguidance(eps, weak, 2, { interval: EVERY_SIGMA })), await sample(autoguidance(eps, weak, 2)));
  });
});

describe('scale schedules (Wang et al. 2024)', () => {
  test('the mean scale over the sampler’s steps is s; linear and cosine rise as noise falls', () => {
    for (const kind of ['constant', 'linear', 'cosine'] as const) {
      for (const steps of [1, 7, 50]) {
        const s = Array.from({ length: steps }, (_, k) => scheduledScale(kind, 3.5, k, steps));
        expect(s.reduce((a, b) => a + b, 0) / steps).toBeCloseTo(3.5, 10);
        if (kind !== 'constant' && steps > 1) s.slice(1).forEach((v, k) => expect(v).toBeGreaterThan(s[k]));
      }
    }
  });

  test('a constant schedule is CFG; a linear one guides less at the noisiest step than at the last', async () => {
    expectSame(await sample(classifierFree(eps, 2, K, { schedule: 'constant' })), await sample(classifierFree(eps, 2, K)));
    expectRows(await evalAt(classifierFree(eps, 2, K, { schedule: 'linear' }), TIMESTEP, ys, at(TIMESTEP, 0, 10)), cfg(2 * (0.5 / 10) / 0.5));
    expectRows(await evalAt(classifierFree(eps, 2, K, { schedule: 'linear' }), TIMESTEP, ys, at(TIMESTEP, 9, 10)), cfg(2 * (9.5 / 10) / 0.5));
  });
});

describe('autoguidance (Karras et al. 2024)', () => {
  test('with the main model as its own guide it is the conditional model at every s', async () => {
    const conditional = await sample(noGuidance(eps));
    for (const s of [0, 1, 2.5, 7]) expectSame(await sample(autoguidance(eps, eps, s)), conditional);
  });

  test('ε̂ = ε_g + s·(ε_c − ε_g) with a different guide', async () => {
    const guide: EpsFn = (xx, t, y) => eps(xx, t, tf.tidy(() => tf.fill([xx.shape[0]], K, 'int32')) as tf.Tensor1D);
    // A guide that answers the unconditional ε turns autoguidance into CFG.
    expectRows(await evalAt(autoguidance(eps, guide, 3), TIMESTEP), cfg(3));
  });
});

describe('CFG++ (Chung et al. 2024)', () => {
  test('λ = 0 is unconditional DDIM (η = 0 and η = 1) and unconditional DDPM', async () => {
    const nulls = new Int32Array(labels.length).fill(K);
    for (const [sampler, eta] of [['ddim', 0], ['ddim', 1], ['ddpm', 0]] as const) {
      expectSame(await sample(cfgPlusPlus(eps, 0, K), sampler, { eta }), await sample(noGuidance(eps), sampler, { eta, labels: nulls }));
    }
  });

  test('x̂₀ from ε_λ, re-noised with ε_u: one DDIM step by hand', async () => {
    const [t, tPrev] = [600, 300];
    const rule = cfgPlusPlus(eps, 0.6, K);
    const xt = tf.tensor2d(x);
    const out = await rule.guide(xt, tf.fill([3], t, 'int32') as tf.Tensor1D, tf.tensor1d(ys, 'int32'), at(t));
    const epsL = out.eps.arraySync() as number[][];
    const renoise = out.renoise!.arraySync() as number[][];
    tf.dispose([xt, out.eps, out.renoise!]);
    const u = await evalAt(noGuidance(eps), t, [K, K, K]);
    const c = await evalAt(noGuidance(eps), t);
    expectRows(epsL, c.map((row, i) => row.map((v, d) => u[i][d] + 0.6 * (v - u[i][d]))));
    expectRows(renoise, u);
    // Two-step chain t → tPrev → 0: the sampler's first step must be √ᾱ_prev·x̂₀(ε_λ) + √(1−ᾱ_prev)·ε_u.
    const [a, ap] = [schedule.alphasCumprod[t], schedule.alphasCumprod[tPrev]];
    const want = x.map((row, i) => row.map((v, d) => Math.sqrt(ap) * ((v - Math.sqrt(1 - a) * epsL[i][d]) / Math.sqrt(a)) + Math.sqrt(1 - ap) * u[i][d]));
    const { ddimStep } = await import('../samplers/ddim');
    const { respace } = await import('../schedules/respace');
    const spaced = respace(schedule, 1000);
    const step = tf.tidy(() =>
      ddimStep({
        x: tf.tensor2d(x),
        k: 999 - t,
        spaced: { ...spaced, alphasCumprodPrev: Float64Array.from(spaced.alphasCumprodPrev, (v, k) => (k === 999 - t ? ap : v)) },
        eps: tf.tensor2d(epsL),
        gradient: null,
        renoise: tf.tensor2d(u),
        eta: 0,
        bound: { clip: null, threshold: null },
        noise: () => tf.zeros([3, 2]),
      }),
    );
    expectRows(step.arraySync() as number[][], want);
    step.dispose();
  });
});

describe('APG (Sadat et al. 2024)', () => {
  test('η = 1, no norm cap and β = 0 is CFG, over a whole chain', async () => {
    const plain = { eta: 1, normThreshold: 0, momentum: 0 };
    expectRows(await evalAt(adaptiveProjected(eps, 3, K, plain), TIMESTEP), cfg(3));
    expectSame(await sample(adaptiveProjected(eps, 3, K, plain)), await sample(classifierFree(eps, 3, K)));
  });

  test('η = 0 drops the part of Δ along ε_c; the cap bounds ‖Δ‖ by r', async () => {
    const got = await evalAt(adaptiveProjected(eps, 3, K, { eta: 0, normThreshold: 0, momentum: 0 }), TIMESTEP);
    got.forEach((row, i) => {
      const delta = row.map((v, d) => (v - cond[i][d]) / 2); // (s − 1)·Δ⊥
      expect(dotRow(delta, cond[i])).toBeCloseTo(0, 5);
    });
    const r = 0.01;
    const capped = await evalAt(adaptiveProjected(eps, 2, K, { eta: 1, normThreshold: r, momentum: 0 }), TIMESTEP);
    capped.forEach((row, i) => {
      const delta = row.map((v, d) => v - cond[i][d]);
      const raw = cond[i].map((c, d) => c - uncond[i][d]);
      expect(Math.hypot(...delta)).toBeCloseTo(Math.min(r, Math.hypot(...raw)), 5);
    });
  });

  test('momentum is the running Δ_avg = Δ + β·Δ_avg, restarted at each chain’s first step', async () => {
    const rule = adaptiveProjected(eps, 2, K, { eta: 1, normThreshold: 0, momentum: -0.5 });
    const first = await evalAt(rule, TIMESTEP, ys, at(TIMESTEP, 0, 3));
    expectRows(first, cfg(2));
    const second = await evalAt(rule, TIMESTEP, ys, at(TIMESTEP, 1, 3));
    // Same Δ again: Δ_avg = Δ − 0.5·Δ = Δ/2, so ε̂ = ε_c + (s − 1)·Δ/2 = CFG at s = 1.5.
    expectRows(second, cfg(1.5));
    expectRows(await evalAt(rule, TIMESTEP, ys, at(TIMESTEP, 0, 3)), cfg(2));
  });

  test('an aborted chain frees the momentum average', async () => {
    const rule = adaptiveProjected(eps, 2, K, { eta: 1, normThreshold: 0, momentum: -0.5 });
    const before = tf.memory().numTensors;
    const abort = new AbortController();
    const run = getSampler('ddim')({ schedule, rule, shape: [2], labels, steps: 8, seed: 0, signal: abort.signal, onProgress: (p) => p.done === 3 && abort.abort() });
    await expect(run).rejects.toThrow('aborted');
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('CFG-Zero* (Fan et al. 2025)', () => {
  test('ε̂ = s*·ε_u + s·(ε_c − s*·ε_u) with s* = ⟨ε_c, ε_u⟩/‖ε_u‖² per sample', async () => {
    const got = await evalAt(cfgZeroStar(eps, 3, K), TIMESTEP);
    const want = cond.map((c, i) => {
      const star = dotRow(c, uncond[i]) / dotRow(uncond[i], uncond[i]);
      return c.map((v, d) => star * uncond[i][d] + 3 * (v - star * uncond[i][d]));
    });
    expectRows(got, want);
  });

  test('s = 1 is the conditional model; zero-init steps output ε̂ = 0', async () => {
    expectRows(await evalAt(cfgZeroStar(eps, 1, K), TIMESTEP), cond);
    expectRows(await evalAt(cfgZeroStar(eps, 3, K, 2), TIMESTEP, ys, at(TIMESTEP, 1, 10)), [[0, 0], [0, 0], [0, 0]]);
  });
});

describe('independent condition guidance (Sadat et al. 2024)', () => {
  test('ε̂ = ε(x, ĉ) + s·(ε(x, y) − ε(x, ĉ)) with ĉ the seeded independent labels', async () => {
    const where = at(TIMESTEP, 0, 1, 5);
    const random = Array.from(independentLabels(11, 5, 3, TIMESTEP, K));
    expect(random.every((c) => c >= 0 && c < K)).toBe(true);
    const other = await evalAt(noGuidance(eps), TIMESTEP, random);
    const got = await evalAt(independentCondition(eps, 2.5, K, 11), TIMESTEP, ys, where);
    expectRows(got, cond.map((row, i) => row.map((v, d) => other[i][d] + 2.5 * (v - other[i][d]))));
  });

  test('labels are uniform over the K classes and independent of batching', () => {
    const all = independentLabels(3, 0, 4000, 10, K);
    for (let c = 0; c < K; c++) expect(Math.abs(all.filter((v) => v === c).length / 4000 - 1 / K)).toBeLessThan(0.03);
    expect(Array.from(independentLabels(3, 100, 50, 10, K))).toEqual(Array.from(all.subarray(100, 150)));
  });

  test('s = 1 is the conditional model over a whole chain', async () => {
    expectSame(await sample(independentCondition(eps, 1, K, 0)), await sample(noGuidance(eps)));
  });
});

describe('dynamic thresholding (Imagen)', () => {
  test('p = 1 with every |x̂₀| ≤ 1 changes nothing', () => {
    const x0 = tf.tensor2d([[0.3, -0.99, 1], [-0.2, 0.5, 0.1]]);
    const out = dynamicThreshold(x0, 1);
    expectRows(out.arraySync() as number[][], x0.arraySync() as number[][], 6);
    tf.dispose([x0, out]);
  });

  test('q = max(1, quantile_p |x̂₀|) per sample: clip to ±q, divide by q', () => {
    // Row 0: |x| sorted 0.5, 1, 2, 4, 6; p = 0.75 → position 3 → q = 4. Row 1: all ≤ 1 → q = 1.
    const x0 = tf.tensor2d([[2, -6, 0.5, -4, 1], [0.1, -0.2, 0.3, 0.9, -1]]);
    const out = dynamicThreshold(x0, 0.75);
    expectRows(out.arraySync() as number[][], [[0.5, -1, 0.125, -1, 0.25], [0.1, -0.2, 0.3, 0.9, -1]], 6);
    // p = 0.875 → position 3.5 → q = 5 (interpolated between 4 and 6).
    const mid = dynamicThreshold(x0, 0.875);
    expect((mid.arraySync() as number[][])[0]).toEqual([0.4, -1, 0.1, -0.8, 0.2].map((v) => expect.closeTo(v, 6)));
    tf.dispose([x0, out, mid]);
  });

  test('as a sampler option it bounds the output, unlike the static clip’s chain', async () => {
    const run = async (opts: { clip?: number | null; threshold?: number | null }) => {
      const out = await getSampler('ddim')({ schedule, rule: noGuidance(eps), shape: [2], labels, steps: 10, seed: 2, ...opts });
      const v = out.dataSync() as Float32Array;
      out.dispose();
      return v;
    };
    const thresholded = await run({ threshold: 0.9 });
    expect(thresholded.every((v) => Math.abs(v) <= 1 + 1e-6)).toBe(true);
    expect(Array.from(thresholded)).not.toEqual(Array.from(await run({ clip: 1 })));
  });
});

describe('every method through both samplers', () => {
  const weak: EpsFn = (xx, t, y) => tf.tidy(() => tf.mul(eps(xx, t, y), 0.9));
  const settings: MethodSetting[] = [
    { method: 'classifier-free', interval: [0.5, 5], rescale: 0.7, schedule: 'cosine' },
    { method: 'autoguidance', schedule: 'linear' },
    { method: 'cfg-pp' },
    { method: 'apg' },
    { method: 'cfg-zero-star' },
    { method: 'icg' },
  ];
  for (const setting of settings) {
    test(`${setting.method}: finite samples and no tensor leaks`, async () => {
      for (const sampler of ['ddim', 'ddpm'] as const) {
        const rule = makeGuidance(setting, { eps, guideEps: weak, scale: setting.method === 'cfg-pp' ? 0.6 : 2, nullLabel: K, seed: 1 });
        const before = tf.memory().numTensors;
        const out = await getSampler(sampler)({ schedule, rule, shape: [2], labels, steps: 8, eta: 0.5, seed: 0, batchSize: 10 });
        expect((out.dataSync() as Float32Array).every(Number.isFinite)).toBe(true);
        out.dispose();
        expect(tf.memory().numTensors).toBe(before);
      }
    });
  }
});
