/**
 * The six scores every run carries (DESIGN.md §2) and which direction is better, so charts,
 * tables and the Pareto marking agree on them.
 */
export const METRICS = [
  { key: 'fid', label: 'FID', better: 'lower', digits: 3 },
  { key: 'is', label: 'IS', better: 'higher', digits: 3 },
  { key: 'kid', label: 'KID', better: 'lower', digits: 4 },
  { key: 'precision', label: 'Precision', better: 'higher', digits: 3 },
  { key: 'recall', label: 'Recall', better: 'higher', digits: 3 },
  { key: 'adherence', label: 'Adherence', better: 'higher', digits: 3 },
] as const;

export type MetricKey = (typeof METRICS)[number]['key'];
type MetricDef = (typeof METRICS)[number];
export type MetricValues = Partial<Record<MetricKey, number | null>>;

const BY_KEY = new Map<string, MetricDef>(METRICS.map((m) => [m.key, m]));

export function metricDef(key: MetricKey): MetricDef {
  return BY_KEY.get(key)!;
}

/** A finite value of the metric, or null when the run has not been scored (yet). */
export function metricValue(values: MetricValues | null | undefined, key: MetricKey): number | null {
  const v = values?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function formatMetric(value: number | null | undefined, key: MetricKey): string {
  return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(metricDef(key).digits) : '–';
}
