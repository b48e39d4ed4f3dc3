/**
 * The scores every run carries (DESIGN.md §2, density and coverage from Naeem et al. 2020) and which
 * direction is better, so charts, tables, the Pareto marking and the per-curve optima agree on them.
 */
export const METRICS = [
  { key: 'fid', label: 'FID', better: 'lower', digits: 3 },
  { key: 'is', label: 'IS', better: 'higher', digits: 3 },
  { key: 'kid', label: 'KID', better: 'lower', digits: 4 },
  { key: 'precision', label: 'Precision', better: 'higher', digits: 3 },
  { key: 'recall', label: 'Recall', better: 'higher', digits: 3 },
  { key: 'density', label: 'Density', better: 'higher', digits: 3 },
  { key: 'coverage', label: 'Coverage', better: 'higher', digits: 3 },
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

/** "mean ± std" when the spread over seeds is known, else the mean alone. */
export function formatMeanStd(mean: number | null | undefined, std: number | null | undefined, key: MetricKey): string {
  const m = formatMetric(mean, key);
  return typeof std === 'number' && Number.isFinite(std) && m !== '–' ? `${m} ± ${std.toFixed(metricDef(key).digits)}` : m;
}

/** True when a beats b on the metric (by its "better" direction). */
export function beats(key: MetricKey, a: number, b: number): boolean {
  return metricDef(key).better === 'lower' ? a < b : a > b;
}
