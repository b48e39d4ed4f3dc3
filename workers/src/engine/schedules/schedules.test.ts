import { describe, expect, test } from 'vitest';
import { cosineAlphaBar, cosineSchedule, linearSchedule, makeSchedule, respace } from './index';

const decreasing = (xs: Float64Array) => xs.every((v, i) => i === 0 || v < xs[i - 1]);

describe('linear schedule', () => {
  test('T = 1000 is DDPM: β from 1e-4 to 0.02, ᾱ strictly decreasing to ≈ 0', () => {
    const s = linearSchedule(1000);
    expect(s.betas[0]).toBeCloseTo(1e-4, 12);
    expect(s.betas[999]).toBeCloseTo(0.02, 12);
    expect(s.betas[500] - s.betas[499]).toBeCloseTo((0.02 - 1e-4) / 999, 12);
    expect(decreasing(s.alphasCumprod)).toBe(true);
    expect(s.alphasCumprod[0]).toBeCloseTo(1 - 1e-4, 12);
    expect(s.alphasCumprod[999]).toBeLessThan(1e-4);
    expect(s.alphas[7]).toBeCloseTo(1 - s.betas[7], 15);
  });

  test('short schedules scale β by 1000/T and still end near ᾱ = 0', () => {
    const s = linearSchedule(100);
    expect(s.betas[0]).toBeCloseTo(1e-3, 12);
    expect(s.betas[99]).toBeCloseTo(0.2, 12);
    expect(s.alphasCumprod[99]).toBeLessThan(1e-4);
  });

  test('a T whose β would reach 1 is refused by name', () => {
    expect(() => linearSchedule(10)).toThrow(/T ≥ 21/);
    expect(() => linearSchedule(2.5)).toThrow(/T must be a whole number/);
  });
});

describe('cosine schedule', () => {
  test('ᾱ_t follows f(t)/f(0) (Nichol & Dhariwal eq. 17) and β is capped at 0.999', () => {
    const T = 1000;
    const s = cosineSchedule(T);
    expect(decreasing(s.alphasCumprod)).toBe(true);
    expect(Math.max(...s.betas)).toBeLessThanOrEqual(0.999);
    // Only the very last β reaches the cap; everywhere before it ᾱ matches the closed form.
    for (const i of [0, 1, 10, 250, 500, 900, 998]) {
      expect(s.alphasCumprod[i]).toBeCloseTo(cosineAlphaBar(i + 1, T) / cosineAlphaBar(0, T), 10);
    }
    expect(s.betas[T - 1]).toBe(0.999);
  });
});

describe('makeSchedule', () => {
  test('builds the named kind and refuses unknown ones', () => {
    expect(makeSchedule({ kind: 'cosine', T: 50 }).kind).toBe('cosine');
    expect(makeSchedule({ kind: 'linear', T: 50 }).betas).toEqual(linearSchedule(50).betas);
    expect(() => makeSchedule({ kind: 'quadratic' as 'linear', T: 50 })).toThrow(/linear or cosine/);
  });
});

describe('respace', () => {
  const base = linearSchedule(1000);

  test('keeps original indices: S evenly spaced, descending from T − 1 to 0', () => {
    const r = respace(base, 10);
    expect(Array.from(r.timesteps)).toEqual([999, 888, 777, 666, 555, 444, 333, 222, 111, 0]);
    r.timesteps.forEach((t, k) => expect(r.alphasCumprod[k]).toBe(base.alphasCumprod[t]));
    expect(r.alphasCumprodPrev[9]).toBe(1);
    expect(r.alphasCumprodPrev[3]).toBe(base.alphasCumprod[555]);
  });

  test('the respaced β′ rebuild each ᾱ as a product (SpacedDiffusion), with β̃ = (1−ᾱ_prev)/(1−ᾱ)·β′', () => {
    const r = respace(base, 37);
    let prod = 1;
    for (let k = 36; k >= 0; k--) {
      prod *= 1 - r.betas[k];
      expect(prod).toBeCloseTo(r.alphasCumprod[k], 12);
      expect(r.posteriorVariance[k]).toBeCloseTo(((1 - r.alphasCumprodPrev[k]) / (1 - r.alphasCumprod[k])) * r.betas[k], 14);
    }
    expect(new Set(r.timesteps).size).toBe(37);
    expect(r.posteriorVariance[36]).toBe(0);
  });

  test('S = T is the original chain, S = 1 jumps from T − 1', () => {
    const full = respace(base, 1000);
    full.betas.forEach((b, k) => expect(b).toBeCloseTo(base.betas[999 - k], 12));
    expect(Array.from(respace(base, 1).timesteps)).toEqual([999]);
  });

  test('refuses S outside 1..T by name', () => {
    expect(() => respace(base, 0)).toThrow(/sampling steps must be a whole number from 1 to T \(1000\)/);
    expect(() => respace(base, 1001)).toThrow(/from 1 to T/);
  });
});
