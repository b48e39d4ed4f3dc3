import { describe, expect, it } from 'vitest';
import { computeOverBudget, DEFAULT_MAX_COMPUTE, estimateCompute, maxComputeFromEnv, modelParams } from './budget';
import { listPresets } from './presets';
import { parseSpec } from './spec';

describe('compute budget', () => {
  it('counts parameters of the networks the spec describes', () => {
    // MLP 128×3: three blocks of two 128×128 layers plus the in/out layers.
    expect(modelParams({ kind: 'eps', dataset: { kind: 'toy2d' } as never, model: { hidden: 128, depth: 3, channels: [8], blocksPerLevel: 1 } })).toBe(2 * 3 * 128 * 128 + 8 * 128);
    // U-Net 32/64/64, one block a level: 3 blocks of two 3×3 convolutions a level, 497,664 (the real one has 544k).
    expect(modelParams({ kind: 'eps', dataset: { kind: 'mnist' } as never, model: { hidden: 8, depth: 1, channels: [32, 64, 64], blocksPerLevel: 1 } })).toBe(497_664);
  });

  it('estimates training as steps × batch × parameters × 3 and sampling as samples × steps × evaluations', () => {
    const spec = parseSpec({ dataset: { kind: 'toy2d', classes: 2 }, guidance: ['classifier-free'], scales: [2], pUncond: [0.1], samplesPerClass: 5 });
    const e = estimateCompute(spec);
    const eps = 2 * 3 * 128 * 128 + 8 * 128;
    const clf = eps; // the evaluator has the same default MLP
    expect(e.training).toBe(3 * 4000 * 256 * eps + 3 * 3000 * 256 * clf);
    expect(e.sampling).toBe(2 * 5 * 50 * 2 * eps); // 10 samples × 50 DDIM steps × both CFG branches
  });

  it('accepts every preset by default and refuses the issue’s 12-model, 1,000,000-step sweep with the estimate and the limit', () => {
    for (const p of listPresets()) expect(computeOverBudget(parseSpec(p.spec), DEFAULT_MAX_COMPUTE)).toBeNull();
    const huge = parseSpec({
      dataset: { kind: 'mnist' },
      guidance: ['classifier-free'],
      scales: [1, 2],
      pUncond: [0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95],
      training: { steps: 1_000_000 },
      model: { channels: [256, 256, 256] },
      schedule: { T: 4000 },
      sampler: { kind: 'ddpm', steps: 4000 },
      samplesPerClass: 10_000,
    });
    expect(computeOverBudget(huge, DEFAULT_MAX_COMPUTE)).toMatch(/^needs an estimated \d\.\d\de\+\d+ parameter-evaluations .* more than GUIDANCE_MAX_COMPUTE = 6\.00e\+13/);
  });

  it('reads GUIDANCE_MAX_COMPUTE', () => {
    expect(maxComputeFromEnv({})).toBe(DEFAULT_MAX_COMPUTE);
    expect(maxComputeFromEnv({ GUIDANCE_MAX_COMPUTE: '1e9' })).toBe(1e9);
    expect(() => maxComputeFromEnv({ GUIDANCE_MAX_COMPUTE: '-1' })).toThrow(/GUIDANCE_MAX_COMPUTE must be a positive number/);
  });
});
