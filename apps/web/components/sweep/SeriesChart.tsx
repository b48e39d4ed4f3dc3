'use client';
/**
 * Curves drawn as connected points (recharts Scatter with a line, in data order = scale order):
 * the trade-off chart and every small multiple. Pareto points get a dark ring, the selected point
 * an orange one; clicking a point selects it.
 */
import { CartesianGrid, LabelList, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { ChartPoint, Curve } from '../../lib/tradeoff';

export interface SeriesChartProps {
  rows: { curve: Curve; data: ChartPoint[] }[];
  xLabel: string;
  yLabel: string;
  height: number;
  /** Label each point with its scale s. */
  labelScales?: boolean;
  markPareto?: boolean;
  selected: string | null;
  onSelect(runId: string): void;
  tooltip(point: ChartPoint, curve: Curve): React.ReactNode;
  /** CSS class on every point, for tests and styling. */
  pointClass: string;
}

interface DotProps {
  cx?: number;
  cy?: number;
  payload?: ChartPoint;
}

export function SeriesChart({ rows, xLabel, yLabel, height, labelScales = false, markPareto = false, selected, onSelect, tooltip, pointClass }: SeriesChartProps) {
  const dot = (color: string) =>
    function Dot({ cx, cy, payload }: DotProps) {
      if (cx === undefined || cy === undefined || !payload) return <g />;
      return (
        <g className={pointClass} data-run-id={payload.runId} data-pareto={payload.pareto ? 'true' : undefined} style={{ cursor: 'pointer' }}>
          {payload.runId === selected ? <circle cx={cx} cy={cy} r={11} fill="none" stroke="#e36c00" strokeWidth={3} /> : null}
          {markPareto && payload.pareto ? <circle cx={cx} cy={cy} r={8} fill="none" stroke="#1b1f24" strokeWidth={2} /> : null}
          <circle cx={cx} cy={cy} r={5} fill={color} stroke="#fff" strokeWidth={1} />
        </g>
      );
    };
  const byRun = new Map(rows.flatMap((r) => r.data.map((p) => [p.runId, r.curve] as const)));

  return (
    <ResponsiveContainer width="100%" height={height}>
      <ScatterChart margin={{ top: 16, right: 24, bottom: 28, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis type="number" dataKey="x" name={xLabel} domain={['auto', 'auto']} label={{ value: xLabel, position: 'insideBottom', offset: -14 }} />
        <YAxis type="number" dataKey="y" name={yLabel} domain={['auto', 'auto']} label={{ value: yLabel, angle: -90, position: 'insideLeft' }} width={64} />
        <Tooltip
          isAnimationActive={false}
          content={({ active, payload }) => {
            const point = active ? (payload?.[0]?.payload as ChartPoint | undefined) : undefined;
            const curve = point ? byRun.get(point.runId) : undefined;
            return point && curve ? tooltip(point, curve) : null;
          }}
        />
        {rows.map(({ curve, data }) => (
          <Scatter
            key={curve.key}
            name={curve.label}
            data={data}
            fill={curve.color}
            line={{ stroke: curve.color, strokeWidth: 2 }}
            shape={dot(curve.color)}
            isAnimationActive={false}
            onClick={(entry: { payload?: ChartPoint }) => entry.payload && onSelect(entry.payload.runId)}
          >
            {labelScales ? <LabelList dataKey="s" position="top" offset={10} formatter={(v: unknown) => `s=${v}`} style={{ fontSize: 11 }} /> : null}
          </Scatter>
        ))}
      </ScatterChart>
    </ResponsiveContainer>
  );
}

export function Legend({ curves }: { curves: Curve[] }) {
  return (
    <ul className="legend" aria-label="Curves">
      {curves.map((c) => (
        <li key={c.key}>
          <span className="swatch" style={{ background: c.color }} aria-hidden="true" />
          {c.label}
        </li>
      ))}
    </ul>
  );
}
