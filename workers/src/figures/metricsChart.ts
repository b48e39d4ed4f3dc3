/**
 * Every metric against the guidance scale s, one small multiple per metric with its own y axis, one
 * line per guidance type × p_uncond (±1 std over seeds when there are several), and the real-data
 * floor as a dashed line.
 */
import { METRIC_KEYS, type ResultsFile, type RunMetrics } from '@guidance-lab/experiments';
import type { TopLevelSpec } from 'vega-lite';
import { seriesLabel, seriesEncodings } from './series';

const TITLES: Record<keyof RunMetrics, string> = {
  fid: 'FID ↓', is: 'IS ↑', isStd: 'IS spread over splits', kid: 'KID ↓', precision: 'precision', recall: 'recall',
  density: 'density', coverage: 'coverage', adherence: 'class adherence',
};

/** The plotted metrics: IS's split spread is a property of IS, not a score of its own. */
export const PLOTTED_METRICS = METRIC_KEYS.filter((k) => k !== 'isStd');

export function metricsSpec(results: Pick<ResultsFile, 'aggregates' | 'floor' | 'spec'>): TopLevelSpec {
  const rows = results.aggregates.flatMap((a) =>
    PLOTTED_METRICS.map((k) => ({ kind: 'run', metric: TITLES[k], series: seriesLabel(a), scale: a.scale, value: a.mean[k], lo: a.mean[k] - (a.std[k] ?? 0), hi: a.mean[k] + (a.std[k] ?? 0) })),
  );
  const floors = PLOTTED_METRICS.map((k) => ({ kind: 'floor', metric: TITLES[k], value: results.floor[k] }));
  const seeded = results.aggregates.some((a) => a.seeds >= 2);
  const x = { field: 'scale', type: 'quantitative', title: 'guidance scale s' } as const;
  const y = { field: 'value', type: 'quantitative', title: null, scale: { zero: false } } as const;
  const { color, strokeDash } = seriesEncodings(results.aggregates);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `${results.spec.name}: every metric against s`, subtitle: 'dashed: held-out real data scored like a run (the floor)' },
    config: { font: 'DejaVu Sans' },
    data: { values: [...rows, ...floors] },
    facet: { field: 'metric', type: 'nominal', title: null, sort: PLOTTED_METRICS.map((k) => TITLES[k]) },
    columns: 4,
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 190,
      height: 130,
      layer: [
        ...(seeded ? [{ transform: [{ filter: "datum.kind === 'run'" }], mark: { type: 'rule', opacity: 0.5 }, encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' }, color } }] : []),
        { transform: [{ filter: "datum.kind === 'run'" }], mark: { type: 'line', point: { size: 25 } }, encoding: { x, y, color, strokeDash } },
        { transform: [{ filter: "datum.kind === 'floor'" }], mark: { type: 'rule', strokeDash: [4, 3], color: 'black' }, encoding: { y } },
      ],
    },
  } as TopLevelSpec;
}
