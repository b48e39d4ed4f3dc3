/**
 * Shapes the API's trade-off series into GLIDE-style curves: one per method × parameters × p_uncond in a
 * fixed order and colour, points ordered by the guidance scale s (Ho & Salimans' w = s − 1
 * alongside), and the Pareto-optimal points of the chosen pair of metrics marked.
 */
import { methodLabel, type MethodId } from '@guidance-lab/experiments/methods';
import { METRICS, metricDef, metricValue, type MetricKey, type MetricValues } from './metrics';
import type { TradeoffSeriesApi } from './types';

/** One point of a curve: one scale, metrics averaged over the seeds scored so far (the API's mean). */
export interface CurvePoint {
  /** The point's first run: what a click selects and a deep link names. */
  runId: string;
  runIds: string[];
  scale: number;
  w: number;
  seeds: number;
  metrics: MetricValues;
  gridUrl: string | null;
}

export interface Curve {
  key: string;
  guidance: string;
  pUncond: number;
  label: string;
  color: string;
  points: CurvePoint[];
}

/** One plotted point: the axes' values, its scale and whether no other point beats it on both. */
export interface ChartPoint {
  x: number;
  y: number;
  s: number;
  runId: string;
  pareto: boolean;
}

const GUIDANCE_ORDER = ['classifier-free', 'classifier', 'none'];
// Okabe–Ito: distinguishable with the common colour-vision deficiencies.
const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];

/** A series is one method label (method and non-default parameters) at one p_uncond. */
export function seriesKey(method: string, pUncond: number): string {
  return `${method}:${pUncond}`;
}

export function seriesLabel(method: string, pUncond: number): string {
  const name = method === 'classifier' ? 'classifier guidance' : method === 'none' ? 'no guidance' : method;
  return `${name}, p_uncond ${pUncond}`;
}

const guidanceRank = (g: string) => {
  const i = GUIDANCE_ORDER.indexOf(g);
  return i < 0 ? GUIDANCE_ORDER.length : i;
};

/** Series order everywhere on a page: classifier-free methods, classifier, none; then method label, then p_uncond ascending. */
export function compareSeries(a: { guidance: string; method: string; pUncond: number }, b: { guidance: string; method: string; pUncond: number }): number {
  return guidanceRank(a.guidance) - guidanceRank(b.guidance) || a.method.localeCompare(b.method) || a.pUncond - b.pUncond;
}

/** Curves from the API's series: ordered, coloured, points by increasing scale. */
export function curvesFromApi(series: TradeoffSeriesApi[]): Curve[] {
  const named = series.map((s) => ({ ...s, method: methodLabel(s.method as MethodId, s.methodParams ?? {}) }));
  return named.sort(compareSeries).map((s, i) => ({
    key: seriesKey(s.method, s.pUncond),
    guidance: s.guidance,
    pUncond: s.pUncond,
    label: seriesLabel(s.method, s.pUncond),
    color: PALETTE[i % PALETTE.length],
    points: s.points
      .filter((p) => p.runIds.length > 0)
      .map((p) => ({
        runId: p.runIds[0],
        runIds: p.runIds,
        scale: p.scale,
        w: p.scale - 1,
        seeds: p.seeds,
        metrics: Object.fromEntries(METRICS.map((m) => [m.key, p[m.key]])) as MetricValues,
        gridUrl: p.gridUrl,
      }))
      .sort((a, b) => a.scale - b.scale),
  }));
}

/**
 * Pareto flags for points in the plane of two metrics, each oriented by its "better" direction:
 * a point is optimal when no other point is at least as good on both and strictly better on one.
 */
export function paretoFlags(points: { x: number; y: number }[], xKey: MetricKey, yKey: MetricKey): boolean[] {
  const sx = metricDef(xKey).better === 'lower' ? -1 : 1;
  const sy = metricDef(yKey).better === 'lower' ? -1 : 1;
  const oriented = points.map((p) => ({ x: sx * p.x, y: sy * p.y }));
  return oriented.map((p, i) => !oriented.some((q, j) => j !== i && q.x >= p.x && q.y >= p.y && (q.x > p.x || q.y > p.y)));
}

/** Per curve, the points scored on both metrics, in scale order, Pareto-marked over ALL curves. */
export function chartData(curves: Curve[], xKey: MetricKey, yKey: MetricKey): { curve: Curve; data: ChartPoint[] }[] {
  const rows = curves.map((curve) => ({
    curve,
    data: curve.points.flatMap((p) => {
      const x = metricValue(p.metrics, xKey);
      const y = metricValue(p.metrics, yKey);
      return x === null || y === null ? [] : [{ x, y, s: p.scale, runId: p.runId, pareto: false }];
    }),
  }));
  const flat = rows.flatMap((r) => r.data);
  const flags = paretoFlags(flat, xKey, yKey);
  flat.forEach((p, i) => (p.pareto = flags[i]));
  return rows;
}

/** One metric against the scale, per curve: the data of a small multiple (x = s, y = the metric). */
export function metricByScale(curves: Curve[], key: MetricKey): { curve: Curve; data: ChartPoint[] }[] {
  return curves.map((curve) => ({
    curve,
    data: curve.points.flatMap((p) => {
      const y = metricValue(p.metrics, key);
      return y === null ? [] : [{ x: p.scale, y, s: p.scale, runId: p.runId, pareto: false }];
    }),
  }));
}
