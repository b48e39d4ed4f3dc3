'use client';
/**
 * Curves drawn as connected points in SVG (d3-scale for the axes): the trade-off chart and every
 * small multiple. Drawn in layers so points sit above every line: lines, ± std error bars, points,
 * then labels placed without collisions. Pareto points get a dark ring, each curve's best point on
 * an axis metric a diamond, the selected point an orange ring. Each axis can be logarithmic; drag a
 * rectangle to zoom (Reset zoom returns). Points are buttons: Tab reaches them, Enter selects.
 */
import { scaleLinear, scaleLog } from 'd3-scale';
import { useId, useRef, useState } from 'react';
import { placeLabels } from '../../lib/labels';
import { metricDef, type MetricKey } from '../../lib/metrics';
import type { ChartPoint, Curve } from '../../lib/tradeoff';

export interface SeriesChartProps {
  rows: { curve: Curve; data: ChartPoint[] }[];
  title: string;
  /** What the chart shows, for screen readers (aria-describedby). */
  description: string;
  xLabel: string;
  yLabel: string;
  width: number;
  height: number;
  logX?: boolean;
  logY?: boolean;
  /** The real-data floor on each axis, drawn as a dashed line. */
  floor?: { x: number | null; y: number | null };
  /** Label each point with its scale s. */
  labelScales?: boolean;
  markPareto?: boolean;
  selected: string | null;
  /** Runs brushed in the parallel-coordinates view: other points are dimmed (null: none dimmed). */
  highlight?: Set<string> | null;
  onSelect(runId: string): void;
  tooltip(point: ChartPoint, curve: Curve): React.ReactNode;
  /** Accessible name of a point (its curve, s and values). */
  pointName(point: ChartPoint, curve: Curve): string;
  /** CSS class on every point, for tests and styling. */
  pointClass: string;
}

type Domain = [number, number];
const MARGIN = { top: 14, right: 18, bottom: 42, left: 62 };

/** The data's extent on an axis (including error bars), padded; positive values only on a log axis. */
function extent(values: number[], log: boolean): Domain {
  const usable = values.filter((v) => Number.isFinite(v) && (!log || v > 0));
  if (usable.length === 0) return log ? [1, 10] : [0, 1];
  let lo = Math.min(...usable);
  let hi = Math.max(...usable);
  if (log) return lo === hi ? [lo / 2, hi * 2] : [lo / 1.15, hi * 1.15];
  const pad = hi > lo ? (hi - lo) * 0.06 : Math.abs(lo) * 0.1 || 1;
  lo -= pad;
  hi += pad;
  return [lo, hi];
}

const makeScale = (log: boolean, domain: Domain, range: Domain) => (log ? scaleLog().domain(domain).range(range) : scaleLinear().domain(domain).range(range).nice());

export function SeriesChart(props: SeriesChartProps) {
  const { rows, title, description, xLabel, yLabel, width, height, logX = false, logY = false, floor, labelScales = false, markPareto = false, selected, highlight = null, onSelect, tooltip, pointName, pointClass } = props;
  // React's ids hold characters that break SVG url(#…) references.
  const id = `chart-${useId().replace(/[^\w-]/g, '')}`;
  const [zoom, setZoom] = useState<{ x: Domain; y: Domain } | null>(null);
  const [drag, setDrag] = useState<{ x0: number; y0: number; x1: number; y1: number } | null>(null);
  const [hover, setHover] = useState<string | null>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const plot = { x: MARGIN.left, y: MARGIN.top, w: width - MARGIN.left - MARGIN.right, h: height - MARGIN.top - MARGIN.bottom };

  // A log axis cannot show values ≤ 0: those points are left out and counted.
  const visible = rows.map((r) => ({ curve: r.curve, data: r.data.filter((p) => (!logX || p.x > 0) && (!logY || p.y > 0)) }));
  const hidden = rows.reduce((n, r) => n + r.data.length, 0) - visible.reduce((n, r) => n + r.data.length, 0);
  const all = visible.flatMap((r) => r.data);
  const floors = { x: floor?.x ?? null, y: floor?.y ?? null };
  const xDomain = zoom?.x ?? extent([...all.flatMap((p) => [p.x - (p.xErr ?? 0), p.x + (p.xErr ?? 0)]), ...(floors.x !== null ? [floors.x] : [])], logX);
  const yDomain = zoom?.y ?? extent([...all.flatMap((p) => [p.y - (p.yErr ?? 0), p.y + (p.yErr ?? 0)]), ...(floors.y !== null ? [floors.y] : [])], logY);
  const sx = makeScale(logX, xDomain, [plot.x, plot.x + plot.w]);
  const sy = makeScale(logY, yDomain, [plot.y + plot.h, plot.y]);
  const clamp = (v: number, d: Domain, log: boolean) => (log ? Math.max(v, Math.min(...d) * 1e-3) : v);
  const X = (v: number) => sx(clamp(v, xDomain, logX));
  const Y = (v: number) => sy(clamp(v, yDomain, logY));
  const inPlot = (px: number, py: number) => px >= plot.x - 0.5 && px <= plot.x + plot.w + 0.5 && py >= plot.y - 0.5 && py <= plot.y + plot.h + 0.5;

  const byRun = new Map(visible.flatMap((r) => r.data.map((p) => [p.runId, { point: p, curve: r.curve }] as const)));
  const labels = new Map<string, { x: number; y: number } | null>();
  if (labelScales) {
    // Optima first: their labels are the ones worth keeping when space runs out.
    const shown = all.filter((p) => inPlot(X(p.x), Y(p.y))).sort((a, b) => Number(b.best.length > 0) - Number(a.best.length > 0));
    // Obstacles as large as a point's rings and optimum diamond.
    const boxes = placeLabels(shown.map((p) => ({ x: X(p.x), y: Y(p.y), text: `s=${p.s}` })), plot, 9);
    shown.forEach((p, i) => labels.set(p.runId, boxes[i] && { x: boxes[i].x + boxes[i].w / 2, y: boxes[i].y + boxes[i].h - 2 }));
  }

  /** Pointer position in chart units (the SVG scales with its container). */
  const local = (e: React.PointerEvent) => {
    const r = svgRef.current!.getBoundingClientRect();
    return { x: ((e.clientX - r.left) / r.width) * width, y: ((e.clientY - r.top) / r.height) * height };
  };
  const endDrag = () => {
    if (drag && Math.abs(drag.x1 - drag.x0) > 8 && Math.abs(drag.y1 - drag.y0) > 8) {
      const xs = [sx.invert(drag.x0), sx.invert(drag.x1)].sort((a, b) => a - b) as Domain;
      const ys = [sy.invert(drag.y0), sy.invert(drag.y1)].sort((a, b) => a - b) as Domain;
      setZoom({ x: xs, y: ys });
    }
    setDrag(null);
  };

  const xTicks = sx.ticks(logX ? 4 : 6);
  const yTicks = sy.ticks(logY ? 4 : 5);
  const fmtX = sx.tickFormat(logX ? 4 : 6, logX ? '~g' : undefined);
  const fmtY = sy.tickFormat(logY ? 4 : 5, logY ? '~g' : undefined);
  const hovered = hover ? byRun.get(hover) : undefined;
  const clip = `${id}-clip`;

  return (
    <div className="series-chart">
      <svg
        ref={svgRef}
        viewBox={`0 0 ${width} ${height}`}
        width="100%"
        role="group"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-desc`}
        onPointerDown={(e) => {
          if ((e.target as Element).closest('[data-run-id]')) return;
          const p = local(e);
          if (inPlot(p.x, p.y)) setDrag({ x0: p.x, y0: p.y, x1: p.x, y1: p.y });
        }}
        onPointerMove={(e) => drag && setDrag({ ...drag, x1: local(e).x, y1: local(e).y })}
        onPointerUp={endDrag}
        onPointerLeave={() => setDrag(null)}
      >
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        <defs>
          <clipPath id={clip}>
            <rect x={plot.x} y={plot.y} width={plot.w} height={plot.h} />
          </clipPath>
        </defs>
        <rect x={plot.x} y={plot.y} width={plot.w} height={plot.h} fill="var(--chart-bg, #fff)" stroke="#ccc" style={{ cursor: 'crosshair' }} />
        <g className="axis" aria-hidden="true" fontSize={11} fill="currentColor">
          {xTicks.map((t) => (
            <g key={`x${t}`}>
              <line x1={sx(t)} x2={sx(t)} y1={plot.y} y2={plot.y + plot.h} stroke="#e5e5e5" />
              <text x={sx(t)} y={plot.y + plot.h + 14} textAnchor="middle">
                {fmtX(t)}
              </text>
            </g>
          ))}
          {yTicks.map((t) => (
            <g key={`y${t}`}>
              <line x1={plot.x} x2={plot.x + plot.w} y1={sy(t)} y2={sy(t)} stroke="#e5e5e5" />
              <text x={plot.x - 6} y={sy(t) + 4} textAnchor="end">
                {fmtY(t)}
              </text>
            </g>
          ))}
          <text x={plot.x + plot.w / 2} y={height - 6} textAnchor="middle" className="axis-label">
            {xLabel}
            {logX ? ' (log)' : ''}
          </text>
          <text transform={`translate(12 ${plot.y + plot.h / 2}) rotate(-90)`} textAnchor="middle" className="axis-label">
            {yLabel}
            {logY ? ' (log)' : ''}
          </text>
        </g>
        <g clipPath={`url(#${clip})`}>
          {floors.y !== null && (!logY || floors.y > 0) ? (
            <g className="floor" data-axis="y">
              <line x1={plot.x} x2={plot.x + plot.w} y1={Y(floors.y)} y2={Y(floors.y)} stroke="#333" strokeDasharray="4 3" />
              <text x={plot.x + plot.w - 4} y={Y(floors.y) - 4} textAnchor="end" fontSize={10}>
                real data
              </text>
            </g>
          ) : null}
          {floors.x !== null && (!logX || floors.x > 0) ? (
            <g className="floor" data-axis="x">
              <line x1={X(floors.x)} x2={X(floors.x)} y1={plot.y} y2={plot.y + plot.h} stroke="#333" strokeDasharray="4 3" />
              <text x={X(floors.x) + 4} y={plot.y + 12} fontSize={10}>
                real data
              </text>
            </g>
          ) : null}
          {visible.map(({ curve, data }) => (
            <polyline key={curve.key} points={data.map((p) => `${X(p.x)},${Y(p.y)}`).join(' ')} fill="none" stroke={curve.color} strokeWidth={2} strokeDasharray={curve.dash || undefined} />
          ))}
          {visible.map(({ curve, data }) =>
            data.map((p) => (
              <g key={`e${p.runId}`} className="error-bar" stroke={curve.color} strokeWidth={1.3} opacity={0.8}>
                {p.yErr ? (
                  <>
                    <line x1={X(p.x)} x2={X(p.x)} y1={Y(p.y - p.yErr)} y2={Y(p.y + p.yErr)} />
                    <line x1={X(p.x) - 4} x2={X(p.x) + 4} y1={Y(p.y - p.yErr)} y2={Y(p.y - p.yErr)} />
                    <line x1={X(p.x) - 4} x2={X(p.x) + 4} y1={Y(p.y + p.yErr)} y2={Y(p.y + p.yErr)} />
                  </>
                ) : null}
                {p.xErr ? (
                  <>
                    <line x1={X(p.x - p.xErr)} x2={X(p.x + p.xErr)} y1={Y(p.y)} y2={Y(p.y)} />
                    <line x1={X(p.x - p.xErr)} x2={X(p.x - p.xErr)} y1={Y(p.y) - 4} y2={Y(p.y) + 4} />
                    <line x1={X(p.x + p.xErr)} x2={X(p.x + p.xErr)} y1={Y(p.y) - 4} y2={Y(p.y) + 4} />
                  </>
                ) : null}
              </g>
            )),
          )}
        </g>
        {visible.map(({ curve, data }) =>
          data
            .filter((p) => inPlot(X(p.x), Y(p.y)))
            .map((p) => {
              const cx = X(p.x);
              const cy = Y(p.y);
              const isSelected = p.runId === selected;
              return (
                <g
                  key={p.runId}
                  className={pointClass}
                  data-run-id={p.runId}
                  data-pareto={p.pareto ? 'true' : undefined}
                  data-best={p.best.length ? p.best.join(' ') : undefined}
                  data-dimmed={highlight && !p.runIds.some((id) => highlight.has(id)) ? 'true' : undefined}
                  opacity={highlight && !p.runIds.some((id) => highlight.has(id)) ? 0.2 : 1}
                  role="button"
                  tabIndex={0}
                  aria-label={pointName(p, curve)}
                  aria-pressed={isSelected}
                  style={{ cursor: 'pointer' }}
                  onClick={() => onSelect(p.runId)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' || e.key === ' ') {
                      e.preventDefault();
                      onSelect(p.runId);
                    }
                  }}
                  onPointerEnter={() => setHover(p.runId)}
                  onPointerLeave={() => setHover(null)}
                  onFocus={() => setHover(p.runId)}
                  onBlur={() => setHover(null)}
                >
                  <circle cx={cx} cy={cy} r={12} fill="transparent" />
                  {isSelected ? <circle cx={cx} cy={cy} r={11} fill="none" stroke="#e36c00" strokeWidth={3} /> : null}
                  {markPareto && p.pareto ? <circle cx={cx} cy={cy} r={8} fill="none" stroke="#1b1f24" strokeWidth={2} /> : null}
                  {p.best.length ? <rect className="optimum" x={cx - 7} y={cy - 7} width={14} height={14} transform={`rotate(45 ${cx} ${cy})`} fill="none" stroke={curve.color} strokeWidth={2} /> : null}
                  <circle cx={cx} cy={cy} r={5} fill={curve.color} stroke="#fff" strokeWidth={1} />
                </g>
              );
            }),
        )}
        {labelScales ? (
          <g className="point-labels" aria-hidden="true" fontSize={11}>
            {visible.flatMap(({ curve, data }) =>
              data.map((p) => {
                const at = labels.get(p.runId);
                return at ? (
                  <text key={`l${p.runId}`} x={at.x} y={at.y} textAnchor="middle" fill={curve.color} stroke="#fff" strokeWidth={3} paintOrder="stroke">
                    s={p.s}
                  </text>
                ) : null;
              }),
            )}
          </g>
        ) : null}
        {drag ? <rect className="zoom-box" x={Math.min(drag.x0, drag.x1)} y={Math.min(drag.y0, drag.y1)} width={Math.abs(drag.x1 - drag.x0)} height={Math.abs(drag.y1 - drag.y0)} fill="rgba(0,114,178,0.12)" stroke="#0072B2" /> : null}
      </svg>
      {hovered ? (
        <div className="chart-tooltip" style={{ left: `${(X(hovered.point.x) / width) * 100}%`, top: `${(Y(hovered.point.y) / height) * 100}%` }}>
          {tooltip(hovered.point, hovered.curve)}
        </div>
      ) : null}
      <div className="chart-foot">
        {zoom ? (
          <button type="button" onClick={() => setZoom(null)}>
            Reset zoom
          </button>
        ) : (
          <span className="muted">Drag across the plot to zoom.</span>
        )}
        {hidden ? <span className="muted"> {hidden} point(s) ≤ 0 left out on the log axis.</span> : null}
      </div>
    </div>
  );
}

export function Legend({ curves }: { curves: Curve[] }) {
  return (
    <ul className="legend" aria-label="Curves">
      {curves.map((c) => (
        <li key={c.key}>
          <svg width="28" height="10" aria-hidden="true">
            <line x1="1" x2="27" y1="5" y2="5" stroke={c.color} strokeWidth="3" strokeDasharray={c.dash || undefined} />
          </svg>
          {c.label}
        </li>
      ))}
    </ul>
  );
}

/** "best FID, IS of its curve" for a point's name and tooltip. */
export function bestText(best: MetricKey[]): string {
  return best.length ? `best ${best.map((k) => metricDef(k).label).join(', ')} of its curve` : '';
}
