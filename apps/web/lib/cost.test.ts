import { describe, expect, it } from 'vitest';
import { expandSweep } from '@guidance-lab/experiments/grid';
import { parseSpec } from '@guidance-lab/experiments/spec';
import { sweepCost } from './cost';

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
});
