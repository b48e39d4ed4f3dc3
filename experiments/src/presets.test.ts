import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandSweep } from './grid';
import { mergeOverrides } from './merge';
import { getPreset, listPresets, loadSpecFile } from './presets';
import { parseSpec, SpecError } from './spec';

describe('presets', () => {
  it('ships the papers’ experiments, each with a description and a quick variant', () => {
    const names = [...new Set(listPresets().map((p) => p.name))];
    expect(names).toEqual(['mnist-cfg-puncond', 'mnist-classifier-guidance', 'mnist-comparison', 'mnist-guidance-zoo', 'mnist-interval', 'toy2d-autoguidance', 'toy2d-tradeoff']);
    for (const name of names) {
      const full = getPreset(name)!;
      const quick = getPreset(name, true)!;
      expect(full.description.length).toBeGreaterThan(80);
      const fullRuns = expandSweep(parseSpec(full.spec)).runs.length;
      const quickRuns = expandSweep(parseSpec(quick.spec)).runs.length;
      expect(quickRuns).toBeLessThanOrEqual(fullRuns);
    }
  });

  it('gives every MNIST preset a standard size between quick and full, with at least two seeds', () => {
    for (const name of ['mnist-cfg-puncond', 'mnist-classifier-guidance', 'mnist-comparison']) {
      const [quick, standard, full] = (['quick', 'standard', 'full'] as const).map((size) => parseSpec(getPreset(name, size)!.spec));
      expect(getPreset(name, 'standard')!.size).toBe('standard');
      expect(standard.seeds.length).toBeGreaterThanOrEqual(2);
      const work = (s: typeof full) => s.training.steps * s.training.batchSize;
      expect(work(standard)).toBeGreaterThan(work(quick));
      expect(work(standard)).toBeLessThanOrEqual(work(full));
      expect(standard.scales).toEqual(full.scales);
    }
    expect(getPreset('toy2d-tradeoff', 'standard')).toBeUndefined();
    expect(getPreset('mnist-comparison', true)!.size).toBe('quick');
  });

  it('gives the MNIST quick presets one recipe, so one preset\'s trained models serve the others', () => {
    const quick = ['mnist-cfg-puncond', 'mnist-classifier-guidance', 'mnist-comparison', 'mnist-guidance-zoo', 'mnist-interval'].map((name) => parseSpec(getPreset(name, 'quick')!.spec));
    const recipe = (s: (typeof quick)[number]) => JSON.stringify([s.dataset, s.schedule, s.model, s.training, s.evaluator, s.sampler]);
    expect(new Set(quick.map(recipe)).size).toBe(1);
    // Those that guide with a classifier share it too; it runs on 2×2 patches like the ε-net.
    const guided = quick.filter((s) => s.methods.some((m) => m.method === 'classifier'));
    expect(guided).toHaveLength(3);
    expect(new Set(guided.map((s) => JSON.stringify(s.classifier))).size).toBe(1);
    expect(guided[0].classifier.patch).toBe(2);
    // …and the classifier-free ones one conditional model: p_uncond 0.1, which cfg-puncond trains as well.
    const conditional = quick.filter((s) => s.methods.some((m) => m.method === 'classifier-free'));
    expect(conditional).toHaveLength(4);
    for (const s of conditional) expect(s.pUncond).toContain(0.1);
    expect(new Set(conditional.filter((s) => s.pUncond.length === 1).map((s) => s.pUncond[0]))).toEqual(new Set([0.1]));
  });

  it('reproduces the published grids', () => {
    const dn = parseSpec(getPreset('mnist-classifier-guidance')!.spec);
    expect(dn.guidance).toEqual(['classifier']);
    expect(dn.scales).toEqual([0, 1, 2, 5, 10]);
    expect(dn.classifierGuidedPUncond).toBe(1);
    const hs = parseSpec(getPreset('mnist-cfg-puncond')!.spec);
    expect(hs.pUncond).toEqual([0.1, 0.2, 0.5]);
    const toy = parseSpec(getPreset('toy2d-tradeoff')!.spec);
    expect(toy.guidance).toEqual(['classifier-free', 'classifier']);
    expect(Math.min(...toy.scales)).toBe(0);
    expect(Math.max(...toy.scales)).toBe(10);
  });

  it('merges overrides deeply, replacing arrays', () => {
    expect(mergeOverrides({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3] } })).toEqual({ a: { b: 1, c: [3] }, d: 1 });
  });

  it('rejects unreadable files with the path in the message', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spec-'));
    writeFileSync(join(dir, 'bad.json'), '{ nope');
    expect(() => loadSpecFile(join(dir, 'bad.json'))).toThrow(SpecError);
    expect(() => loadSpecFile(join(dir, 'bad.json'))).toThrow(/bad\.json is not a readable JSON file/);
    writeFileSync(join(dir, 'plain.json'), JSON.stringify({ dataset: { kind: 'toy2d' }, guidance: ['none'], scales: [0] }));
    expect(() => loadSpecFile(join(dir, 'plain.json'), { quick: true })).toThrow(/has no quick variant/);
    expect(() => loadSpecFile(join(dir, 'plain.json'), { size: 'standard' })).toThrow(/has no standard variant/);
  });
});
