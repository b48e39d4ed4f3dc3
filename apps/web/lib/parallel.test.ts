import { describe, expect, it } from 'vitest';
import { parallelAxes } from './parallel';
import type { Run } from './types';

const run = (id: string, methodLabel: string, scale: number, fid: number | null) => ({ id, methodLabel, pUncond: 0.1, scale, seed: 0, metrics: { fid } }) as unknown as Run;

describe('parallelAxes', () => {
  it('puts the settings first (methods as sorted categories), then every metric; unscored values are null', () => {
    const runs = [run('a', 'none', 0, 20), run('b', 'classifier-free', 3, null)];
    const axes = parallelAxes(runs);
    expect(axes.slice(0, 5).map((a) => a.key)).toEqual(['method', 'pUncond', 'scale', 'seed', 'fid']);
    expect(axes).toHaveLength(4 + 8);
    expect(axes[0].categories).toEqual(['classifier-free', 'none']);
    expect(axes.map((a) => a.value(runs[0])).slice(0, 5)).toEqual(['none', 0.1, 0, 0, 20]);
    expect(axes.find((a) => a.key === 'fid')!.value(runs[1])).toBeNull();
  });
});
