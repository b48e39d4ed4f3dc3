import { describe, expect, it } from 'vitest';
import { elapsed, formatDuration } from './format';
import { sortRows } from './sort';
import { choiceParam, intParam, withParams } from './urlState';

describe('sortRows', () => {
  it('sorts numbers both ways, keeps ties in order and sinks missing values', () => {
    const rows = [
      { id: 'a', v: 2 },
      { id: 'b', v: null },
      { id: 'c', v: 1 },
      { id: 'd', v: 2 },
    ];
    expect(sortRows(rows, (r) => r.v, 'asc').map((r) => r.id)).toEqual(['c', 'a', 'd', 'b']);
    expect(sortRows(rows, (r) => r.v, 'desc').map((r) => r.id)).toEqual(['a', 'd', 'c', 'b']);
  });
});

describe('urlState', () => {
  it('sets, replaces and removes query parameters', () => {
    expect(withParams('a=1&b=2', { b: 3, c: 'x y', a: null })).toBe('?b=3&c=x+y');
    expect(withParams('', { a: '' })).toBe('');
  });
  it('reads whole numbers and choices with fallbacks', () => {
    const p = new URLSearchParams('cls=3&bad=1.5&x=is&y=nope');
    expect([intParam(p, 'cls', 0), intParam(p, 'bad', 0), intParam(p, 'none', 7)]).toEqual([3, 0, 7]);
    expect([choiceParam(p, 'x', ['fid', 'is'], 'fid'), choiceParam(p, 'y', ['fid', 'is'], 'is')]).toEqual(['is', 'is']);
  });
});

describe('format', () => {
  it('formats durations and measures elapsed time up to now while running', () => {
    expect([formatDuration(59_400), formatDuration(61_000), formatDuration(3_725_000), formatDuration(null)]).toEqual(['59s', '1m 01s', '1h 02m', '–']);
    expect(elapsed('2026-01-01T00:00:00Z', null, Date.parse('2026-01-01T00:00:05Z'))).toBe(5000);
    expect(elapsed('2026-01-01T00:00:00Z', '2026-01-01T00:01:00Z', 0)).toBe(60_000);
  });
});
