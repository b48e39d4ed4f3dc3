import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/index';
import { makeSchedule } from '../schedules/index';
import { snrWeights, weightedEpsLoss } from './lossWeight';

describe('SNR loss weights: min-SNR-γ (Hang et al. 2023) and the truncated-SNR floor (Salimans & Ho 2022)', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  const schedule = makeSchedule({ kind: 'cosine', T: 1000 });
  const snr = (t: number) => schedule.alphasCumprod[t] / (1 - schedule.alphasCumprod[t]);

  it('are min(SNR_t, γ)/SNR_t: γ/SNR_t at low noise, 1 once SNR_t ≤ γ', () => {
    const t = Int32Array.of(0, 50, 200, 500, 999);
    const w = snrWeights(schedule, t, { minSnrGamma: 5 });
    // Closed form per t, and the regime each falls in under the cosine schedule.
    t.forEach((ti, i) => expect(w[i]).toBeCloseTo(Math.min(snr(ti), 5) / snr(ti), 6));
    expect(snr(50)).toBeGreaterThan(5);
    expect(w[1]).toBeCloseTo(5 / snr(50), 6);
    expect(w[0]).toBeLessThan(1e-3); // t = 0: SNR ≈ 2.4·10⁴
    expect(snr(500)).toBeLessThan(5);
    expect([w[3], w[4]]).toEqual([1, 1]);
    // Monotone: more noise never weighs less.
    for (let i = 1; i < w.length; i++) expect(w[i]).toBeGreaterThanOrEqual(w[i - 1]);
  });

  it('with a floor λ are clamp(SNR_t, λ, γ)/SNR_t, bounded by maxLossWeight: λ/SNR_t where the noise dominates', () => {
    const t = Int32Array.of(0, 300, 500, 700, 850, 999);
    const w = snrWeights(schedule, t, { minSnrGamma: 5, snrFloor: 3, maxLossWeight: 30 });
    t.forEach((ti, i) => expect(w[i]).toBeCloseTo(Math.min(30, Math.max(Math.min(snr(ti), 5), 3) / snr(ti)), 6));
    // The regimes under the cosine schedule: γ/SNR at t = 0, 1 between λ and γ, λ/SNR above, then the bound.
    expect(w[0]).toBeLessThan(1e-3);
    expect(snr(300)).toBeGreaterThan(3);
    expect(snr(300)).toBeLessThan(5);
    expect(w[1]).toBe(1);
    expect(snr(700)).toBeLessThan(3);
    expect(w[3]).toBeCloseTo(3 / snr(700), 5);
    expect(w[3]).toBeGreaterThan(1);
    expect(3 / snr(999)).toBeGreaterThan(1e8); // why the bound is required
    expect(w[5]).toBe(30);
    // Without γ the floor alone: max(1, λ/SNR_t); without either, every weight is 1.
    const floorOnly = snrWeights(schedule, t, { snrFloor: 1, maxLossWeight: 1e4 });
    t.forEach((ti, i) => expect(floorOnly[i]).toBeCloseTo(Math.min(1e4, Math.max(1, 1 / snr(ti))), 6));
    expect(Array.from(snrWeights(schedule, t, {}))).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('weigh each sample’s mean squared error, then average', () => {
    const eps = tf.tensor4d([1, 2, 3, 4, 0, 0, 0, 0], [2, 2, 2, 1]);
    const pred = tf.tensor4d([0, 2, 3, 2, 1, 1, 1, 1], [2, 2, 2, 1]);
    // Per-sample MSE: (1 + 0 + 0 + 4)/4 = 1.25 and 1; weights 0.2 and 1 → (0.25 + 1)/2.
    expect(weightedEpsLoss(eps, pred, tf.tensor1d([0.2, 1])).dataSync()[0]).toBeCloseTo(0.625, 6);
    expect(weightedEpsLoss(eps, pred, null).dataSync()[0]).toBeCloseTo(1.125, 6);
    // Vectors (toy2d): [B, dim].
    expect(weightedEpsLoss(tf.tensor2d([[1, 1], [0, 0]]), tf.tensor2d([[0, 0], [0, 2]]), tf.tensor1d([0.5, 2])).dataSync()[0]).toBeCloseTo((0.5 * 1 + 2 * 2) / 2, 6);
  });
});
