/** One curve per method × parameters × p_uncond, named as the dashboard names it. */
import { methodColor, runMethodLabel, VARIANT_DASHES, type ResultAggregate } from '@guidance-lab/experiments';

type SeriesKey = Pick<ResultAggregate, 'guidance' | 'pUncond'> & Partial<Pick<ResultAggregate, 'method' | 'methodParams'>>;

export const seriesLabel = (a: SeriesKey) => `${runMethodLabel(a)}, p_uncond ${a.pUncond}`;

/** Series in a stable order (guidance type, method label, then p_uncond) with their points in increasing scale. */
export function seriesOf<T extends SeriesKey & Pick<ResultAggregate, 'scale'>>(points: T[]): { label: string; points: T[] }[] {
  const groups = new Map<string, T[]>();
  const sorted = [...points].sort((a, b) => a.guidance.localeCompare(b.guidance) || runMethodLabel(a).localeCompare(runMethodLabel(b)) || a.pUncond - b.pUncond || a.scale - b.scale);
  for (const p of sorted) groups.set(seriesLabel(p), [...(groups.get(seriesLabel(p)) ?? []), p]);
  return [...groups].map(([label, pts]) => ({ label, points: pts }));
}

/**
 * Vega-Lite colour and dash encodings of the series: each series gets its method's colour (the
 * palette the dashboard uses too) and, among series of one method, a dash pattern of its own, in
 * seriesOf's order. Both encode the same field, so one legend shows both.
 */
export function seriesEncodings(points: (SeriesKey & Pick<ResultAggregate, 'scale'>)[]) {
  const series = seriesOf(points).map((s) => ({ label: s.label, method: s.points[0].method ?? s.points[0].guidance }));
  const variants = new Map<string, number>();
  const dashes = series.map((s) => {
    const i = variants.get(s.method) ?? 0;
    variants.set(s.method, i + 1);
    const dash = VARIANT_DASHES[i % VARIANT_DASHES.length];
    return dash ? dash.split(' ').map(Number) : [1, 0];
  });
  const domain = series.map((s) => s.label);
  const title = 'guidance, p_uncond';
  return {
    color: { field: 'series', type: 'nominal', title, scale: { domain, range: series.map((s) => methodColor(s.method)) }, legend: { orient: 'bottom', columns: 2, labelLimit: 400 } },
    strokeDash: { field: 'series', type: 'nominal', title, scale: { domain, range: dashes } },
  } as const;
}
