/** The parallel-coordinates view's axes: a run's settings (the method as categories), then every metric. */
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
