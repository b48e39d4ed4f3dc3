'use client';
/**
 * GLIDE's figure: the FID-vs-IS trade-off as the guidance scale grows, one curve per guidance
 * type × p_uncond, points labelled by s, the Pareto frontier ringed. Axes are selectable.
 */
import { METRICS, metricDef, type MetricKey } from '../../lib/metrics';
import { chartData, type Curve } from '../../lib/tradeoff';
import { Select } from '../Select';
import { Legend, SeriesChart } from './SeriesChart';
import { PointSummary } from './PointSummary';

const METRIC_KEYS = METRICS.map((m) => m.key);

export function TradeoffSection({
  curves,
  x,
  y,
  selected,
  onAxes,
  onSelect,
}: {
  curves: Curve[];
  x: MetricKey;
  y: MetricKey;
  selected: string | null;
  onAxes(x: MetricKey, y: MetricKey): void;
  onSelect(runId: string | null): void;
}) {
  const rows = chartData(curves, x, y);
  const points = curves.flatMap((c) => c.points.map((p) => ({ curve: c, point: p })));
  const chosen = points.find((p) => p.point.runId === selected) ?? null;
  const paretoIds = new Set(rows.flatMap((r) => r.data.filter((p) => p.pareto).map((p) => p.runId)));
  const plotted = rows.reduce((n, r) => n + r.data.length, 0);
  const axisLabel = (k: MetricKey) => `${metricDef(k).label} (${metricDef(k).better} is better)`;

  return (
    <section aria-labelledby="tradeoff-title">
      <h2 id="tradeoff-title">Trade-off</h2>
      <div className="controls">
        <Select id="axis-x" label="x axis" value={x} onChange={(v) => onAxes(v as MetricKey, y)}>
          {METRIC_KEYS.map((k) => (
            <option key={k} value={k}>
              {metricDef(k).label}
            </option>
          ))}
        </Select>
        <Select id="axis-y" label="y axis" value={y} onChange={(v) => onAxes(x, v as MetricKey)}>
          {METRIC_KEYS.map((k) => (
            <option key={k} value={k}>
              {metricDef(k).label}
            </option>
          ))}
        </Select>
        <span className="muted">
          {plotted} of {points.length} points scored; ringed points are Pareto-optimal ({metricDef(x).better} {metricDef(x).label}, {metricDef(y).better}{' '}
          {metricDef(y).label}). Click a point for its details.
        </span>
      </div>
      <Legend curves={curves} />
      <div className="chart-row">
        <div data-testid="tradeoff-chart">
          <SeriesChart
            rows={rows}
            xLabel={axisLabel(x)}
            yLabel={axisLabel(y)}
            height={440}
            labelScales
            markPareto
            selected={selected}
            onSelect={(id) => onSelect(id === selected ? null : id)}
            pointClass="tradeoff-point"
            tooltip={(p, curve) => {
              const point = curve.points.find((q) => q.runId === p.runId)!;
              return (
                <div className="tooltip">
                  <PointSummary curve={curve} point={point} pareto={p.pareto} />
                </div>
              );
            }}
          />
        </div>
        <aside className="point-detail" aria-live="polite" aria-label="Selected point">
          {chosen ? (
            <>
              <PointSummary curve={chosen.curve} point={chosen.point} pareto={paretoIds.has(chosen.point.runId)} />
              <p>
                <button type="button" onClick={() => onSelect(null)}>
                  Clear selection
                </button>
              </p>
            </>
          ) : (
            <p className="muted">No point selected. Click one on the chart, or use “Select” in the results table.</p>
          )}
        </aside>
      </div>
    </section>
  );
}
