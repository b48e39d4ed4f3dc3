import { describe, expect, it } from 'vitest';
import { expandSweep } from './grid';
import { methodLabel } from './methods';
import { getPreset } from './presets';
import { resultsToCsv, type ResultRun } from './results';
import { parseSpec, SpecError } from './spec';

const base = { dataset: { kind: 'toy2d' as const }, scales: [1, 2], pUncond: [0.2] };

function issues(input: unknown): { field: string; message: string }[] {
  try {
    parseSpec(input);
  } catch (error) {
    if (error instanceof SpecError) return error.issues;
    throw error;
  }
  return [];
}

describe('methods in the spec', () => {
  it('normalises guidance strings to methods, without repeating one given both ways', () => {
    const spec = parseSpec({ ...base, guidance: ['none', 'classifier-free'], methods: [{ method: 'classifier-free' }, { method: 'apg', eta: 1 }] });
    expect(spec.methods).toEqual([{ method: 'none' }, { method: 'classifier-free' }, { method: 'apg', eta: 1 }]);
    expect(spec.guidance).toEqual(['none', 'classifier-free']);
    // A parsed spec parses to itself (the API stores it and the worker parses it again).
    expect(parseSpec(spec)).toEqual(spec);
  });

  it('names the field and the range of every bad parameter', () => {
    const bad = issues({
      ...base,
      methods: [
        { method: 'classifier-free', rescale: 1.5, interval: [2, 1], schedule: 'step' },
        { method: 'apg', eta: [0, 2], normThreshold: -1, momentum: 1 },
        { method: 'cfg-pp', scales: [0.5, 2] },
        { method: 'autoguidance', guide: { hidden: 8, steps: 0 } },
        { method: 'cfg-zero-star', zeroInitSteps: 1.5 },
        { method: 'icg', rescale: 0.5 },
        { method: 'dpm' },
      ],
    });
    const by = (field: string) => bad.find((i) => i.field === field)?.message;
    expect(by('methods.0.rescale')).toMatch(/from 0 to 1/);
    expect(by('methods.0.interval')).toMatch(/\[sigmaLo, sigmaHi\] with 0 ≤ sigmaLo ≤ sigmaHi/);
    expect(by('methods.0.schedule')).toMatch(/constant, linear, cosine/);
    expect(by('methods.1.eta.1')).toMatch(/from 0 to 1/);
    expect(by('methods.1.normThreshold')).toMatch(/from 0 to 1000/);
    expect(by('methods.1.momentum')).toMatch(/from -0.99 to 0.99/);
    expect(by('methods.2.scales.1')).toMatch(/from 0 to 1/);
    expect(bad.some((i) => i.field.startsWith('methods.3.guide') && /16 to 1024/.test(i.message))).toBe(true);
    expect(by('methods.4.zeroInitSteps')).toMatch(/whole number from 0 to 4000/);
    expect(by('methods.5')).toMatch(/unknown field\(s\): rescale/);
    expect(by('methods.6.method')).toMatch(/must be one of: none, classifier-free, classifier, autoguidance, cfg-pp, apg, cfg-zero-star, icg/);
  });

  it('needs a method, and a two-branch model for the methods that use ε(x, ∅)', () => {
    expect(issues({ ...base })).toEqual([{ field: 'methods', message: 'must list at least one method (or give guidance)' }]);
    expect(issues({ ...base, pUncond: [0], methods: [{ method: 'apg' }] })[0]).toMatchObject({ field: 'pUncond', message: expect.stringMatching(/^apg guidance needs/) });
    // ICG and autoguidance need only the conditional branch: p_uncond = 0 is their baseline.
    expect(issues({ ...base, pUncond: [0], methods: [{ method: 'icg' }, { method: 'autoguidance' }] })).toEqual([]);
  });

  it('takes dynamic thresholding as a sampler option with the paper’s default percentile', () => {
    expect(parseSpec({ ...base, guidance: ['none'], sampler: { threshold: { kind: 'dynamic' } } }).sampler.threshold).toEqual({ kind: 'dynamic', percentile: 0.995 });
    expect(issues({ ...base, guidance: ['none'], sampler: { threshold: { kind: 'dynamic', percentile: 1.2 } } })[0]).toMatchObject({ field: 'sampler.threshold.percentile' });
  });
});

describe('methods in the grid', () => {
  it('makes every list-valued parameter an axis, with the defaults recorded', () => {
    const plan = expandSweep(parseSpec({ ...base, methods: [{ method: 'classifier-free', interval: [[0.3, 1.6], [0.5, 5]], rescale: [0, 0.7] }] }));
    expect(plan.runs).toHaveLength(2 * 2 * 2);
    expect(new Set(plan.runs.map((r) => r.key)).size).toBe(8);
    expect(plan.runs[0]).toMatchObject({ guidance: 'classifier-free', method: 'classifier-free', methodParams: { interval: [0.3, 1.6], rescale: 0, schedule: 'constant' } });
    const apg = expandSweep(parseSpec({ ...base, methods: [{ method: 'apg' }] })).runs[0];
    expect(apg.methodParams).toEqual({ eta: 0, normThreshold: 2.5, momentum: -0.75 });
  });

  it('trains the autoguidance guide as one more content-addressed model: narrower and 1/8 as long by default', () => {
    const spec = parseSpec({ ...base, model: { hidden: 128 }, training: { steps: 4000 }, methods: [{ method: 'autoguidance' }, { method: 'classifier-free' }] });
    const plan = expandSweep(spec);
    const auto = plan.runs.filter((r) => r.method === 'autoguidance');
    expect(auto).toHaveLength(2);
    const guide = plan.models.find((m) => m.key === auto[0].guideModel)!;
    expect(guide.config).toMatchObject({ kind: 'eps', pUncond: 0.2, model: { hidden: 64 }, training: { steps: 500 } });
    expect(auto[0].methodParams.guide).toEqual({ hidden: 64, depth: 3, channels: [16, 32, 32], steps: 500 });
    // Main model shared with CFG; the guide is reused by another sweep asking for the same guide.
    expect(auto[0].epsModel).toBe(plan.runs.find((r) => r.method === 'classifier-free')!.epsModel);
    const again = expandSweep(parseSpec({ ...spec, methods: [{ method: 'autoguidance', guide: { hidden: 64, steps: 500 } }] }));
    expect(again.models.map((m) => m.key)).toContain(guide.key);
  });

  it('runs CFG++ on λ ≤ 1 and lets ICG and autoguidance use a p_uncond = 0 model', () => {
    const plan = expandSweep(parseSpec({ ...base, scales: [0.5, 1, 3], pUncond: [0, 0.2], methods: [{ method: 'cfg-pp' }, { method: 'icg' }, { method: 'classifier-free' }] }));
    const of = (m: string) => plan.runs.filter((r) => r.method === m).map((r) => `${r.pUncond}/${r.scale}`);
    expect(of('cfg-pp')).toEqual(['0.2/0.5', '0.2/1']);
    expect(of('icg')).toEqual(['0/0.5', '0/1', '0/3', '0.2/0.5', '0.2/1', '0.2/3']);
    expect(of('classifier-free')).toEqual(['0.2/0.5', '0.2/1', '0.2/3']);
  });

  it('labels a method by the parameters that differ from its defaults', () => {
    expect(methodLabel('classifier-free', { interval: [0.28, 1.61], rescale: 0, schedule: 'constant' })).toBe('classifier-free interval=[0.28,1.61]');
    expect(methodLabel('apg', { eta: 1, normThreshold: 2.5, momentum: -0.75 })).toBe('apg eta=1');
  });
});

describe('methods in results', () => {
  it('CSV rows carry the method and its parameters', () => {
    const run: ResultRun = {
      guidance: 'classifier-free', method: 'apg', methodParams: { eta: 0, normThreshold: 2.5, momentum: -0.75 },
      pUncond: 0.2, scale: 2, seed: 0, sampler: 'ddim', steps: 10, eta: 0, n: 10, grid: 'g.png',
      metrics: { fid: 1, is: 2, isStd: 0.1, kid: 0, precision: 1, recall: 1, density: 1, coverage: 1, adherence: 1 },
    };
    const [header, row] = resultsToCsv({ runs: [run] }).trim().split('\n');
    expect(header.startsWith('guidance,method,methodParams,pUncond')).toBe(true);
    expect(row.startsWith('classifier-free,apg,"{""eta"":0,""momentum"":-0.75,""normThreshold"":2.5}",0.2')).toBe(true);
  });

  it('the three presets parse, and their quick variants are smaller', () => {
    for (const name of ['toy2d-autoguidance', 'mnist-interval', 'mnist-guidance-zoo']) {
      const full = expandSweep(parseSpec(getPreset(name)!.spec));
      const quick = expandSweep(parseSpec(getPreset(name, true)!.spec));
      expect(quick.runs.length).toBeLessThan(full.runs.length);
    }
    const zoo = parseSpec(getPreset('mnist-guidance-zoo')!.spec);
    expect(new Set(zoo.methods.map((m) => m.method)).size).toBe(8);
  });
});
