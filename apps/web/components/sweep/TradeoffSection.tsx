'use client';
/**
 * GLIDE's figure: the trade-off as the guidance scale grows, one curve per (sweep ×) method ×
 * p_uncond, points labelled by s, ± std over seeds, the Pareto frontier ringed, each curve's best
 * point per axis metric marked, the real-data floor dashed. Axes are selectable, each can be
 * logarithmic (lx / ly in the URL), and the chart zooms by dragging.
 */
import { METRICS, formatMeanStd, metricDef, metricValue, type MetricKey, type MetricValues } from '../../lib/metrics';
import { chartData, type Curve } from '../../lib/tradeoff';
import { Select } from '../Select';
import { useUrlState } from '../useUrlState';
import { bestText, Legend, SeriesChart } from './SeriesChart';
import { PointSummary } from './PointSummary';

const METRIC_KEYS = METRICS.map((m) => m.key);

export function TradeoffSection({
  curves,
  x,
  y,
  selected,
  highlight = null,
  floor,
  onAxes,
  onSelect,
}: {
  curves: Curve[];
  x: MetricKey;
  y: MetricKey;
  selected: string | null;
  /** Runs brushed in the parallel-coordinates view (null: all). */
  highlight?: Set<string> | null;
  /** The real-data floor (held-out data scored like a run), when known. */
  floor: MetricValues | null;
  onAxes(x: MetricKey, y: MetricKey): void;
  onSelect(runId: string | null): void;
}) {
  const { params, set } = useUrlState();
  const logX = params.get('lx') === '1';
  const logY = params.get('ly') === '1';
  const rows = chartData(curves, x, y);
  const points = curves.flatMap((c) => c.points.map((p) => ({ curve: c, point: p })));
  const chosen = points.find((p) => p.point.runId === selected) ?? null;
  const paretoIds = new Set(rows.flatMap((r) => r.data.filter((p) => p.pareto).map((p) => p.runId)));
  const plotted = rows.reduce((n, r) => n + r.data.length, 0);
  const seeded = points.some((p) => p.point.seeds >= 2);
  const axisLabel = (k: MetricKey) => `${metricDef(k).label} (${metricDef(k).better} is better)`;
  const title = `${metricDef(y).label} against ${metricDef(x).label} as the guidance scale s grows`;

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
        <button type="button" aria-pressed={logX} onClick={() => set({ lx: logX ? null : 1 })}>
          Log x
        </button>
        <Select id="axis-y" label="y axis" value={y} onChange={(v) => onAxes(x, v as MetricKey)}>
          {METRIC_KEYS.map((k) => (
            <option key={k} value={k}>
              {metricDef(k).label}
            </option>
          ))}
        </Select>
        <button type="button" aria-pressed={logY} onClick={() => set({ ly: logY ? null : 1 })}>
          Log y
        </button>
        <span className="muted">
          {plotted} of {points.length} points scored{seeded ? '; bars: ± 1 std over seeds' : ''}; ringed points are Pareto-optimal ({metricDef(x).better} {metricDef(x).label},{' '}
          {metricDef(y).better} {metricDef(y).label}); diamonds mark each curve&apos;s best {metricDef(x).label} and {metricDef(y).label}; dashed: real data. Click a point (or Tab to it and press Enter) for
          its details.
        </span>
      </div>
      <Legend curves={curves} />
      <div className="chart-row">
        <div data-testid="tradeoff-chart">
          <SeriesChart
            rows={rows}
            title={title}
            description={`${curves.length} curves, one per ${curves.some((c) => c.sweepId !== curves[0]?.sweepId) ? 'sweep, ' : ''}method and p_uncond; ${plotted} points, each one guidance scale.`}
            xLabel={axisLabel(x)}
            yLabel={axisLabel(y)}
            width={760}
            height={440}
            logX={logX}
            logY={logY}
            floor={{ x: metricValue(floor, x), y: metricValue(floor, y) }}
            labelScales
            markPareto
            selected={selected}
            highlight={highlight}
            onSelect={(id) => onSelect(id === selected ? null : id)}
            pointClass="tradeoff-point"
            pointName={(p, curve) => {
              const point = curve.points.find((q) => q.runId === p.runId)!;
              const values = [x, y].map((k) => `${metricDef(k).label} ${formatMeanStd(point.metrics[k], point.std[k], k)}`).join(', ');
              return [`${curve.label}, s = ${p.s}: ${values}`, p.pareto ? 'Pareto-optimal' : '', bestText(p.best)].filter(Boolean).join('; ');
            }}
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
