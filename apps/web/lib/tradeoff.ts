/**
 * Shapes the API's trade-off series into GLIDE-style curves: one per (sweep ×) method × parameters ×
 * p_uncond in a fixed order, coloured by method (the shared palette) and dashed by variant, points
 * ordered by the guidance scale s (Ho & Salimans' w = s − 1 alongside), the Pareto-optimal points of
 * the chosen pair of metrics and each curve's best point per metric marked.
 */
import { methodLabel, type MethodId } from '@guidance-lab/experiments/methods';
import { methodColor, VARIANT_DASHES } from '@guidance-lab/experiments/palette';
import { beats, METRICS, metricDef, metricValue, type MetricKey, type MetricValues } from './metrics';
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
  /** Standard deviation over seeds; null below 2 seeds. */
  std: MetricValues;
  gridUrl: string | null;
}

export interface Curve {
  key: string;
  sweepId: string;
  sweepName: string;
  guidance: string;
  /** Method id: its colour. */
  method: string;
  pUncond: number;
  label: string;
  color: string;
  /** SVG dash pattern telling apart curves of one method ('' = solid). */
  dash: string;
  points: CurvePoint[];
}

/** One plotted point: the axes' values and spreads, its scale, whether no other point beats it on both, and the metrics it is its curve's best at. */
export interface ChartPoint {
  x: number;
  y: number;
  xErr: number | null;
  yErr: number | null;
  s: number;
  runId: string;
  /** Every run behind the point (one per seed). */
  runIds: string[];
  pareto: boolean;
  best: MetricKey[];
}

const GUIDANCE_ORDER = ['classifier-free', 'classifier', 'none'];

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

/**
 * Curves from the API's series: ordered (by sweep in the API's order, then series), coloured by
 * method, points by increasing scale. Series of several sweeps are keyed and labelled by sweep too.
 */
export function curvesFromApi(series: TradeoffSeriesApi[]): Curve[] {
  const sweeps = [...new Set(series.map((s) => s.sweepId))];
  const several = sweeps.length > 1;
  const named = series.map((s) => ({ ...s, methodId: s.method, method: methodLabel(s.method as MethodId, s.methodParams ?? {}) }));
  const ordered = named.sort((a, b) => sweeps.indexOf(a.sweepId) - sweeps.indexOf(b.sweepId) || compareSeries(a, b));
  const variants = new Map<string, number>();
  return ordered.map((s) => {
    const variant = variants.get(s.methodId) ?? 0;
    variants.set(s.methodId, variant + 1);
    return {
    key: (several ? `${s.sweepId}:` : '') + seriesKey(s.method, s.pUncond),
    sweepId: s.sweepId,
    sweepName: s.sweepName,
    guidance: s.guidance,
    method: s.methodId,
    pUncond: s.pUncond,
    label: (several ? `${s.sweepName}: ` : '') + seriesLabel(s.method, s.pUncond),
    color: methodColor(s.methodId),
    dash: VARIANT_DASHES[variant % VARIANT_DASHES.length],
    points: s.points
      .filter((p) => p.runIds.length > 0)
      .map((p) => ({
        runId: p.runIds[0],
        runIds: p.runIds,
        scale: p.scale,
        w: p.scale - 1,
        seeds: p.seeds,
        metrics: Object.fromEntries(METRICS.map((m) => [m.key, p[m.key]])) as MetricValues,
        std: Object.fromEntries(METRICS.map((m) => [m.key, p.std?.[m.key] ?? null])) as MetricValues,
        gridUrl: p.gridUrl,
      }))
      .sort((a, b) => a.scale - b.scale),
    };
  });
}

/** Per metric, the run id of the curve's best point (its first on ties); absent when no point is scored. */
export function curveOptima(curve: Curve): Partial<Record<MetricKey, string>> {
  const best: Partial<Record<MetricKey, string>> = {};
  for (const m of METRICS) {
    let top: { v: number; runId: string } | null = null;
    for (const p of curve.points) {
      const v = metricValue(p.metrics, m.key);
      if (v !== null && (top === null || beats(m.key, v, top.v))) top = { v, runId: p.runId };
    }
    if (top) best[m.key] = top.runId;
  }
  return best;
}

/** The metrics among `keys` at which this point is its curve's best. */
const bestAt = (optima: Partial<Record<MetricKey, string>>, runId: string, keys: MetricKey[]) => keys.filter((k) => optima[k] === runId);

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
  const rows = curves.map((curve) => {
    const optima = curveOptima(curve);
    return {
      curve,
      data: curve.points.flatMap((p) => {
        const x = metricValue(p.metrics, xKey);
        const y = metricValue(p.metrics, yKey);
        if (x === null || y === null) return [];
        return [{ x, y, xErr: metricValue(p.std, xKey), yErr: metricValue(p.std, yKey), s: p.scale, runId: p.runId, runIds: p.runIds, pareto: false, best: bestAt(optima, p.runId, xKey === yKey ? [xKey] : [xKey, yKey]) }];
      }),
    };
  });
  const flat = rows.flatMap((r) => r.data);
  const flags = paretoFlags(flat, xKey, yKey);
  flat.forEach((p, i) => (p.pareto = flags[i]));
  return rows;
}

/** One metric against the scale, per curve: the data of a small multiple (x = s, y = the metric). */
export function metricByScale(curves: Curve[], key: MetricKey): { curve: Curve; data: ChartPoint[] }[] {
  return curves.map((curve) => {
    const optima = curveOptima(curve);
    return {
      curve,
      data: curve.points.flatMap((p) => {
        const y = metricValue(p.metrics, key);
        return y === null ? [] : [{ x: p.scale, y, xErr: null, yErr: metricValue(p.std, key), s: p.scale, runId: p.runId, runIds: p.runIds, pareto: false, best: bestAt(optima, p.runId, [key]) }];
      }),
    };
  });
}
