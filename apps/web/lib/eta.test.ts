import { describe, expect, it } from 'vitest';
import { trainingEta } from './eta';

describe('trainingEta', () => {
  const startedAt = '2026-12-02T03:00:00.000Z';
  const now = Date.parse('2026-12-02T03:01:40.000Z'); // 100 s later

  it('extrapolates the pace so far to the steps left', () => {
    // 250 of 1000 steps in 100 s → 750 steps at 0.4 s each = 300 s.
    expect(trainingEta({ status: 'running', step: 250, totalSteps: 1000, startedAt }, now)).toBeCloseTo(300_000, 6);
  });

  it('gives no estimate without a pace or when the job is not running', () => {
    expect(trainingEta({ status: 'running', step: 0, totalSteps: 1000, startedAt }, now)).toBeNull();
    expect(trainingEta({ status: 'queued', step: 0, totalSteps: 1000, startedAt: null }, now)).toBeNull();
    expect(trainingEta({ status: 'succeeded', step: 1000, totalSteps: 1000, startedAt }, now)).toBeNull();
  });
});
