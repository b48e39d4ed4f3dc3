import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { makeSchedule } from '../schedules';
import { initBackend } from '../backend/index';
import {
  bayesClassify,
  classPosterior,
  empiricalMoments,
  exactEps,
  exactLogProb,
  makeToy2d,
  mixtureMoments,
  noisedLogDensity,
  noisedScore,
  sampleToy2d,
  toy2dMixture,
} from './toy2d';

beforeAll(async () => {
  await initBackend('cpu');
});

const mix = toy2dMixture({ classes: 4, modesPerClass: 3, seed: 0 });
const schedule = makeSchedule({ kind: 'linear', T: 1000 });
const H = 1e-5;

/** Central finite difference of f at x along both axes. */
function numericGradient(f: (x: number[]) => number, x: number[]): [number, number] {
  return [(f([x[0] + H, x[1]]) - f([x[0] - H, x[1]])) / (2 * H), (f([x[0], x[1] + H]) - f([x[0], x[1] - H])) / (2 * H)];
}

describe('toy2dMixture', () => {
  test('is a seeded layout of K·M weighted modes, classes interleaved around a ring', () => {
    expect(toy2dMixture({ classes: 4, modesPerClass: 3, seed: 0 })).toEqual(mix);
    expect(toy2dMixture({ classes: 4, modesPerClass: 3, seed: 1 }).means).not.toEqual(mix.means);
    expect(mix.modeClass.length).toBe(12);
    expect(mix.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    for (let c = 0; c < 4; c++) {
      expect(mix.weights.filter((_, j) => mix.modeClass[j] === c).reduce((a, b) => a + b, 0)).toBeCloseTo(0.25, 12);
    }
    for (let j = 0; j < 12; j++) expect(Math.hypot(mix.means[2 * j], mix.means[2 * j + 1])).toBeGreaterThan(0.85);
    expect(mix.std).toBeGreaterThan(0.15);
    expect(mix.std).toBeLessThan(0.25);
  });

  test('refuses out-of-range sizes by name', () => {
    expect(() => toy2dMixture({ classes: 1, modesPerClass: 3, seed: 0 })).toThrow(/classes must be a whole number from 2 to 10/);
    expect(() => toy2dMixture({ classes: 3, modesPerClass: 9, seed: 0 })).toThrow(/modesPerClass must be a whole number from 1 to 8/);
  });

  test('classes overlap: the Bayes classifier labels ~80–90% of a class’s own samples as that class', () => {
    for (let c = 0; c < 4; c++) {
      const own = sampleToy2d(mix, 3000, 10 + c, c);
      const accuracy = bayesClassify(mix, own.x).filter((p) => p === c).length / 3000;
      expect(accuracy).toBeGreaterThan(0.78);
      expect(accuracy).toBeLessThan(0.92);
    }
  });
});

describe('makeToy2d', () => {
  const spec = { kind: 'toy2d' as const, classes: 3, modesPerClass: 2, trainSize: 3000, testSize: 500, seed: 7 };

  test('draws seeded train and test splits of the mixture', () => {
    const split = makeToy2d(spec);
    expect(split.train.shape).toEqual([2]);
    expect(split.train.x.length).toBe(6000);
    expect(split.test.y.length).toBe(500);
    expect(split.train.classNames).toEqual(['class 0', 'class 1', 'class 2']);
    expect(makeToy2d(spec).train.x).toEqual(split.train.x);
    expect(split.test.x.subarray(0, 20)).not.toEqual(split.train.x.subarray(0, 20));
    const m = mixtureMoments(toy2dMixture(spec));
    const e = empiricalMoments(split.train.x);
    for (const i of [0, 1]) {
      expect(Math.abs(e.mean[i] - m.mean[i])).toBeLessThan(0.04);
      for (const j of [0, 1]) expect(Math.abs(e.cov[i][j] - m.cov[i][j])).toBeLessThan(0.04);
    }
    for (let c = 0; c < 3; c++) expect(Math.abs(split.train.y.filter((y) => y === c).length / 3000 - 1 / 3)).toBeLessThan(0.03);
  });
});

describe('closed forms under the forward process', () => {
  const points = [[0.3, -0.8], [1.2, 0.1], [-0.05, 0.02], [2.5, -2]];

  test('the noised densities integrate to 1 (conditional and marginal)', () => {
    for (const abar of [0.999, 0.5, 0.01]) {
      for (const c of [undefined, 2]) {
        let total = 0;
        const step = 0.05;
        for (let x = -6; x < 6; x += step) for (let y = -6; y < 6; y += step) total += Math.exp(noisedLogDensity(mix, [x, y], abar, c)) * step * step;
        expect(total).toBeCloseTo(1, 3);
      }
    }
  });

  test('the score is the gradient of the log density', () => {
    for (const abar of [0.9999, 0.3]) {
      for (const x of points) {
        for (const c of [undefined, 1]) {
          const [gx, gy] = noisedScore(mix, x, abar, c);
          const [nx, ny] = numericGradient((p) => noisedLogDensity(mix, p, abar, c), x);
          expect(gx).toBeCloseTo(nx, 4);
          expect(gy).toBeCloseTo(ny, 4);
        }
      }
    }
  });

  test('exact ε* = −√(1−ᾱ)·∇log p_t, conditional for y < K and marginal for y = K (∅)', () => {
    const eps = exactEps(mix, schedule);
    const ts = [0, 250, 999, 600];
    const ys = [0, 4, 3, 4];
    const out = tf.tidy(() => eps(tf.tensor2d(points), tf.tensor1d(ts, 'int32'), tf.tensor1d(ys, 'int32')).arraySync()) as number[][];
    points.forEach((x, i) => {
      const abar = schedule.alphasCumprod[ts[i]];
      const score = noisedScore(mix, x, abar, ys[i] === 4 ? undefined : ys[i]);
      expect(out[i][0]).toBeCloseTo(-Math.sqrt(1 - abar) * score[0], 4);
      expect(out[i][1]).toBeCloseTo(-Math.sqrt(1 - abar) * score[1], 4);
    });
    // At t = T − 1 the data is almost pure noise, so ε* ≈ x_t.
    expect(out[2][0]).toBeCloseTo(points[2][0], 1);
  });

  test('exact log p_t(y|x) sums to one over classes and tf.grad gives its gradient', () => {
    const logProb = exactLogProb(mix, schedule);
    const t = tf.tensor1d([400, 400, 400, 400], 'int32');
    const x = tf.tensor2d(points);
    const abar = schedule.alphasCumprod[400];
    const perClass = [0, 1, 2, 3].map((c) => tf.tidy(() => Array.from(logProb(x, t, tf.tensor1d([c, c, c, c], 'int32')).dataSync())));
    points.forEach((p, i) => {
      expect(perClass.reduce((s, lp) => s + Math.exp(lp[i]), 0)).toBeCloseTo(1, 5);
      expect(Math.exp(perClass[2][i])).toBeCloseTo(classPosterior(mix, p, abar)[2], 5);
    });
    const y = tf.tensor1d([2, 0, 1, 3], 'int32');
    const grad = tf.tidy(() => tf.grad((xi: tf.Tensor) => tf.sum(logProb(xi, t, y)))(x).arraySync()) as number[][];
    points.forEach((p, i) => {
      const c = [2, 0, 1, 3][i];
      const [nx, ny] = numericGradient((q) => Math.log(classPosterior(mix, q, abar)[c]), p);
      expect(grad[i][0]).toBeCloseTo(nx, 3);
      expect(grad[i][1]).toBeCloseTo(ny, 3);
    });
    tf.dispose([t, x, y]);
  });
});
