import { describe, expect, it } from 'vitest';
import { compareSampleRows, sampleChoice, sampleRows, seriesOptions } from './samples';
import type { Run } from './types';

const run = (id: string, guidance: string, pUncond: number, scale: number, seed = 0, methodLabel = guidance) => ({ id, guidance, method: methodLabel.split(' ')[0], methodLabel, pUncond, scale, seed }) as Run;

describe('sampleRows', () => {
  const runs = [
    run('c3', 'classifier', 1, 3),
    run('f3', 'classifier-free', 0.2, 3),
    run('f1', 'classifier-free', 0.2, 1),
    run('f1s1', 'classifier-free', 0.2, 1, 1),
    run('c0', 'classifier', 1, 0),
    run('n', 'none', 0.2, 0),
  ];

  it('lists series in page order', () => {
    expect(seriesOptions(runs).map((o) => o.key)).toEqual(['classifier-free:0.2', 'classifier:1', 'none:0.2']);
  });

  it('tells apart the parameter settings of one method', () => {
    const more = [...runs, run('i3', 'classifier-free', 0.2, 3, 0, 'classifier-free interval=[0.28,1.61]'), run('a3', 'classifier-free', 0.2, 3, 0, 'autoguidance')];
    expect(seriesOptions(more).map((o) => o.label)).toEqual([
      'autoguidance, p_uncond 0.2',
      'classifier-free, p_uncond 0.2',
      'classifier-free interval=[0.28,1.61], p_uncond 0.2',
      'classifier guidance, p_uncond 1',
      'no guidance, p_uncond 0.2',
    ]);
  });

  it('aligns two series one above the other on the union of their scales, for one seed', () => {
    const { scales, rows } = sampleRows(runs, ['classifier-free:0.2', 'classifier:1'], 0);
    expect(scales).toEqual([0, 1, 3]);
    expect(rows.map((r) => [r.label, r.cells.map((c) => c?.id ?? null)])).toEqual([
      ['classifier-free, p_uncond 0.2', [null, 'f1', 'f3']],
      ['classifier guidance, p_uncond 1', ['c0', null, 'c3']],
    ]);
    expect(sampleRows(runs, ['classifier-free:0.2'], 1).rows[0].cells.map((c) => c?.id)).toEqual(['f1s1']);
  });
});

describe('compareSampleRows', () => {
  it('stacks every series of each sweep, in sweep order, on the union of all their scales, for one seed', () => {
    const a = { id: 'A', name: 'first', runs: [run('a1', 'classifier-free', 0.1, 1), run('a3', 'classifier-free', 0.1, 3), run('a3s1', 'classifier-free', 0.1, 3, 1)] };
    const b = { id: 'B', name: 'second', runs: [run('b2', 'classifier-free', 0.1, 2), run('b0', 'none', 0.1, 0)] };
    const { scales, rows } = compareSampleRows([a, b], 0);
    expect(scales).toEqual([0, 1, 2, 3]);
    expect(rows.map((r) => [r.key, r.label, r.cells.map((c) => c?.id ?? null)])).toEqual([
      ['A:classifier-free:0.1', 'first: classifier-free, p_uncond 0.1', [null, 'a1', null, 'a3']],
      ['B:classifier-free:0.1', 'second: classifier-free, p_uncond 0.1', [null, null, 'b2', null]],
      ['B:none:0.1', 'second: no guidance, p_uncond 0.1', ['b0', null, null, null]],
    ]);
  });
});

describe('sampleChoice', () => {
  const grid = { url: 'g.png', rows: 3, cols: 4, cellSize: 28, classNames: ['a', 'b', 'c'] };
  const runs = [run('s1', 'classifier-free', 0.1, 1, 1), { ...run('s0', 'classifier-free', 0.1, 1, 0), grid }, run('s2', 'none', 0.1, 0, 2)];

  it('keeps a seed and class the runs have', () => {
    expect(sampleChoice(runs, 2, 1)).toEqual({ seeds: [0, 1, 2], seed: 2, classNames: ['a', 'b', 'c'], cls: 1 });
  });

  it('falls back to the first seed and the nearest class', () => {
    expect(sampleChoice(runs, 7, 9)).toMatchObject({ seed: 0, cls: 2 });
    expect(sampleChoice(runs, 0, -1)).toMatchObject({ cls: 0 });
    expect(sampleChoice([], 3, 2)).toEqual({ seeds: [], seed: 0, classNames: [], cls: 0 });
  });
});
