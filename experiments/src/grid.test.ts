import { describe, expect, it } from 'vitest';
import { canonicalJson, contentHash, expandSweep } from './grid';
import { parseSpec } from './spec';

describe('grid expansion', () => {
  const spec = parseSpec({
    dataset: { kind: 'toy2d' },
    guidance: ['classifier-free', 'classifier', 'none'],
    scales: [0, 1, 4],
    pUncond: [0.1, 0.5],
    seeds: [0, 1],
  });
  const plan = expandSweep(spec);

  it('makes one point per guidance × p_uncond × scale × seed', () => {
    const count = (g: string) => plan.runs.filter((r) => r.guidance === g).length;
    expect(count('classifier-free')).toBe(2 * 3 * 2);
    expect(count('classifier')).toBe(3 * 2);
    expect(count('none')).toBe(2 * 2);
    expect(new Set(plan.runs.map((r) => r.key)).size).toBe(plan.runs.length);
  });

  it('trains each distinct model once and shares the evaluator across seeds', () => {
    const kinds = plan.models.map((m) => m.config.kind);
    // ε-nets: p 0.1 and 0.5 (shared by CFG and none) and p 1 (classifier-guided), per seed.
    expect(kinds.filter((k) => k === 'eps')).toHaveLength(3 * 2);
    expect(kinds.filter((k) => k === 'noisy-classifier')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'evaluator')).toHaveLength(1);
    const cfg = plan.runs.find((r) => r.guidance === 'classifier-free' && r.pUncond === 0.1 && r.seed === 0)!;
    const none = plan.runs.find((r) => r.guidance === 'none' && r.pUncond === 0.1 && r.seed === 0)!;
    expect(none.epsModel).toBe(cfg.epsModel);
    expect(none.scale).toBe(0);
    const guided = plan.runs.find((r) => r.guidance === 'classifier')!;
    expect(guided.pUncond).toBe(1);
    expect(guided.classifierModel).not.toBeNull();
  });

  it('hashes configs by content, not key order, so another sweep reuses its models', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] })).toBe('{"a":[2,{"c":4,"d":3}],"b":1}');
    expect(contentHash({ a: 1, b: 2 })).toBe(contentHash({ b: 2, a: 1 }));
    const other = expandSweep(parseSpec({ dataset: { kind: 'toy2d' }, guidance: ['classifier-free'], scales: [7], pUncond: [0.5], seeds: [1] }));
    const shared = other.models.filter((m) => plan.models.some((p) => p.key === m.key));
    expect(shared).toHaveLength(other.models.length);
  });
});
