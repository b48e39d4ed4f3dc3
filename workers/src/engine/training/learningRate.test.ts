import { describe, expect, it } from 'vitest';
import { emaDecayAt } from './ema';
import { learningRateAt } from './learningRate';
import { stepScalars } from './update';

describe('learningRateAt', () => {
  const base = { learningRate: 2e-3, steps: 1000 };

  it('is constant without warm-up or decay (the presets before the option existed)', () => {
    for (const t of [1, 2, 500, 1000]) expect(learningRateAt(base, t)).toBe(2e-3);
  });

  it('rises linearly over the warm-up, lr·t/W', () => {
    const s = { ...base, warmupSteps: 100 };
    expect(learningRateAt(s, 1)).toBeCloseTo(2e-5, 12);
    expect(learningRateAt(s, 50)).toBeCloseTo(1e-3, 12);
    expect(learningRateAt(s, 100)).toBeCloseTo(2e-3, 12);
    expect(learningRateAt(s, 101)).toBe(2e-3);
  });

  it('decays as lr·½(1 + cos(π·(t − W)/(steps − W))): full after the warm-up, half midway, 0 at the end', () => {
    const s = { ...base, warmupSteps: 200, decay: 'cosine' as const };
    expect(learningRateAt(s, 200)).toBeCloseTo(2e-3, 12);
    expect(learningRateAt(s, 600)).toBeCloseTo(1e-3, 12);
    expect(learningRateAt(s, 400)).toBeCloseTo(1e-3 * (1 + Math.cos(Math.PI / 4)), 12);
    expect(learningRateAt(s, 1000)).toBeCloseTo(0, 12);
    expect(learningRateAt({ ...base, decay: 'cosine' }, 1)).toBeCloseTo(1e-3 * (1 + Math.cos(Math.PI / 1000)), 12);
  });

  it('is what each optimiser step is handed', () => {
    const s = { ...base, warmupSteps: 10, decay: 'cosine' as const };
    for (const t of [1, 5, 10, 11, 700]) expect(stepScalars(t, s, null).lr).toBe(learningRateAt(s, t));
  });
});

describe('EMA warm-up', () => {
  it('uses min(decay, (1 + n)/(10 + n)) after n updates, so early weights fade in short runs', () => {
    expect(emaDecayAt(0.999, 0)).toBeCloseTo(0.1, 12);
    expect(emaDecayAt(0.999, 90)).toBeCloseTo(0.91, 12);
    expect(emaDecayAt(0.999, 10_000)).toBe(0.999);
    const s = stepScalars(91, { learningRate: 1e-3, steps: 100 }, 0.999);
    expect(s.keep).toBeCloseTo(0.91, 12);
    expect(s.keep + s.take).toBe(1);
  });
});
