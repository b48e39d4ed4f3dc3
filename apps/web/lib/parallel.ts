/**
 * The parallel-coordinates view's axes and its brush as a filter: a run stays when, on every
 * brushed axis, its value lies in one of that axis's brushed intervals (a category axis is
 * brushed in category positions 0, 1, …).
 */
import { METRICS, metricValue } from './metrics';
import type { Run } from './types';

export interface ParallelAxis {
  key: string;
  label: string;
  /** Category axes list their values; numeric ones are null. */
  categories: string[] | null;
  value(run: Run): number | string | null;
}

export function parallelAxes(runs: Run[]): ParallelAxis[] {
  const methods = [...new Set(runs.map((r) => r.methodLabel))].sort();
  return [
    { key: 'method', label: 'Method', categories: methods, value: (r) => r.methodLabel },
    { key: 'pUncond', label: 'p_uncond', categories: null, value: (r) => r.pUncond },
    { key: 'scale', label: 's', categories: null, value: (r) => r.scale },
    { key: 'seed', label: 'Seed', categories: null, value: (r) => r.seed },
    ...METRICS.map((m) => ({ key: m.key, label: m.label, categories: null, value: (r: Run) => metricValue(r.metrics, m.key) })),
  ];
}

/** Brushed intervals by axis key; an axis with no interval does not filter. */
export type Brush = Record<string, [number, number][]>;

/** The ids of the runs inside the brush, or null when nothing is brushed (every run shown). */
export function brushedRunIds(runs: Run[], axes: ParallelAxis[], brush: Brush): Set<string> | null {
  const active = axes.filter((a) => (brush[a.key] ?? []).length > 0);
  if (active.length === 0) return null;
  const inside = (run: Run, axis: ParallelAxis) => {
    const raw = axis.value(run);
    const v = axis.categories ? axis.categories.indexOf(String(raw)) : raw;
    if (typeof v !== 'number' || v < 0 || !Number.isFinite(v)) return false;
    return brush[axis.key].some(([a, b]) => v >= Math.min(a, b) && v <= Math.max(a, b));
  };
  return new Set(runs.filter((r) => active.every((a) => inside(r, a))).map((r) => r.id));
}
