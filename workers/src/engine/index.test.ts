import { describe, expect, it } from 'vitest';
import * as engine from './index';

describe('engine public API', () => {
  it('exports the metric functions by their names, taking plain arrays (rows = samples)', () => {
    const real = [[0, 0], [1, 0], [0, 1], [1, 1], [0.5, 0.5]];
    expect(engine.frechetDistance(real, real)).toBeCloseTo(0, 9);
    expect(engine.kernelInceptionDistance(real, real.map(([a, b]) => [a + 3, b]), { subsets: 5, subsetSize: 5 }).mean).toBeGreaterThan(1);
    expect(engine.precisionRecall(real, real, 3)).toEqual({ precision: 1, recall: 1 });
    expect(engine.inceptionScore([[1, 0], [0, 1], [1, 0], [0, 1]], 1).mean).toBeCloseTo(2, 9);
  });

  it('exports each diffusion part separately', () => {
    for (const name of ['initBackend', 'makeSchedule', 'respace', 'getSampler', 'makeGuidance', 'classifierFree', 'classifierGuidance', 'trainEpsNet', 'trainClassifier', 'loadEpsNet', 'loadDataset', 'makeToy2d', 'exactEps', 'imageGrid', 'trainModel', 'sampleAndScore']) {
      expect(typeof (engine as Record<string, unknown>)[name], name).toBe('function');
    }
  });
});
