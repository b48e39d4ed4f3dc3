import { describe, expect, it } from 'vitest';
import { BENCH_THROUGHPUT, sweepCost } from './cost';
import { expandSweep } from './grid';
import { parseSpec } from './spec';

describe('sweepCost', () => {
  it('counts runs and models from the grid expansion and sums training and sampling work', () => {
    const spec = parseSpec({
      dataset: { kind: 'toy2d', classes: 3 },
      training: { steps: 100, batchSize: 10 },
      classifier: { steps: 50, batchSize: 10 },
      evaluator: { steps: 20, batchSize: 10 },
      guidance: ['classifier-free', 'classifier', 'none'],
      scales: [1, 2],
      pUncond: [0.2],
      seeds: [0, 1],
      samplesPerClass: 4,
      sampler: { kind: 'ddim', steps: 5 },
    });
    const cost = sweepCost(spec, expandSweep(spec));
    // Per seed: CFG 2 runs + classifier 2 runs + none 1 run; models: ε(0.2), ε(1), noisy classifier; plus one evaluator.
    expect(cost.runs).toBe(10);
    expect(cost.models).toBe(7);
    expect(cost.classes).toBe(3);
    expect(cost.trainExamples).toBe(2 * (100 * 10 * 2 + 50 * 10) + 20 * 10);
    // 12 samples × 5 steps per run: CFG 2 evals, classifier 1.5, none 1.
    expect(cost.samplingEvals).toBe(2 * 60 * (2 * 2 + 2 * 1.5 + 1));
    expect(cost.seconds).toBeGreaterThan(0);
  });

  it('leaves out the models already trained and scales the time with the throughput given', () => {
    const spec = parseSpec({ dataset: { kind: 'toy2d' }, guidance: ['classifier-free'], scales: [1, 2], training: { steps: 100, batchSize: 10 }, evaluator: { steps: 40, batchSize: 10 } });
    const plan = expandSweep(spec);
    const eps = plan.models.find((m) => m.config.kind === 'eps')!;
    const speed = { train: 100, forward: 1000 };
    const all = sweepCost(spec, plan, speed);
    // ε-net 1000 examples at 100/s, the evaluator 400 classifier-sized examples at 4× that.
    expect(all.seconds).toBeCloseTo(1000 / 100 + 400 / 4 / 100 + all.samplingEvals / 1000, 6);
    const reused = sweepCost(spec, plan, speed, new Set([eps.key]));
    expect([reused.models, reused.modelsTrained, reused.trainExamples]).toEqual([2, 1, 400]);
    expect(all.seconds - reused.seconds).toBeCloseTo(10, 6);
    expect(sweepCost(spec, plan, { train: 200, forward: 2000 }).seconds).toBeCloseTo(all.seconds / 2, 6);
    expect(sweepCost(spec, plan).seconds).toBeCloseTo(sweepCost(spec, plan, BENCH_THROUGHPUT.points).seconds, 9);
  });
});
