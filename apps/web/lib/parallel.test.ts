import { describe, expect, it } from 'vitest';
import { brushedRunIds, parallelAxes } from './parallel';
import type { Run } from './types';

const run = (id: string, methodLabel: string, scale: number, fid: number | null) => ({ id, methodLabel, pUncond: 0.1, scale, seed: 0, metrics: { fid } }) as unknown as Run;
const runs = [run('a', 'classifier-free', 1, 10), run('b', 'classifier-free', 3, 5), run('c', 'none', 0, 20), run('d', 'classifier-free', 5, null)];
const axes = parallelAxes(runs);

describe('brushedRunIds', () => {
  it('filters nothing without a brush', () => {
    expect(brushedRunIds(runs, axes, {})).toBeNull();
    expect(brushedRunIds(runs, axes, { fid: [] })).toBeNull();
  });

  it('keeps runs inside every brushed axis, in any of its intervals; unscored runs fall outside a metric brush', () => {
    expect([...brushedRunIds(runs, axes, { fid: [[4, 12]] })!]).toEqual(['a', 'b']);
    expect([...brushedRunIds(runs, axes, { fid: [[12, 4]], scale: [[2, 6]] })!]).toEqual(['b']);
    expect([...brushedRunIds(runs, axes, { fid: [[4, 6], [15, 25]] })!]).toEqual(['b', 'c']);
  });

  it('brushes a category axis by category position', () => {
    // Categories sorted: classifier-free = 0, none = 1.
    expect(axes[0].categories).toEqual(['classifier-free', 'none']);
    expect([...brushedRunIds(runs, axes, { method: [[0.6, 1.2]] })!]).toEqual(['c']);
  });
});
