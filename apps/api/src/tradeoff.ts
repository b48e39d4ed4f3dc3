/**
 * Plot-ready trade-off curves (GLIDE's FID-vs-IS plots, Ho & Salimans' Table 1): one series per
 * method × parameters × p_uncond, one point per scale with its metrics averaged over scored seeds and
 * their standard deviation over seeds.
 */
import { canonicalJson, methodLabel, METRIC_KEYS, sampleStd, type MethodId, type MethodParams } from '@guidance-lab/experiments';
import { scoresOf, SCORE_NAMES, type MetricRow, type Scores } from './metrics';

export interface TradeoffRun {
  id: string;
  sweepId: string;
  guidance: string;
  method: string;
  methodParams: unknown;
  pUncond: number;
  scale: number;
  seed: number;
  metrics: MetricRow[];
  gridUrl: string | null;
}

export interface TradeoffPoint extends Omit<Scores, 'kidStd'> {
  scale: number;
  /** Ho & Salimans' w = s − 1. */
  w: number;
  seeds: number;
  /** Sample standard deviation of each metric over the scored seeds; null with fewer than 2. */
  std: Omit<Scores, 'kidStd'>;
  runIds: string[];
  gridUrl: string | null;
}

export interface TradeoffSeries {
  sweepId: string;
  guidance: string;
  method: string;
  methodParams: MethodParams;
  pUncond: number;
  label: string;
  points: TradeoffPoint[];
}

const GUIDANCE_ORDER = ['none', 'classifier', 'classifier-free'];

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

function point(scale: number, runs: TradeoffRun[]): TradeoffPoint {
  const bySeed = [...runs].sort((a, b) => a.seed - b.seed);
  const scored = bySeed.map((r) => scoresOf(r.metrics)).filter((s) => SCORE_NAMES.some((k) => s[k] !== null));
  const values = (k: keyof Scores) => scored.map((s) => s[k]).filter((v): v is number => v !== null);
  const each = (f: (xs: number[]) => number | null) => Object.fromEntries(METRIC_KEYS.map((k) => [k, f(values(k))])) as Omit<Scores, 'kidStd'>;
  return {
    scale,
    w: scale - 1,
    seeds: scored.length,
    runIds: bySeed.map((r) => r.id),
    ...each(mean),
    std: each(sampleStd),
    gridUrl: bySeed.find((r) => r.gridUrl)?.gridUrl ?? null,
  };
}

/** Series of several sweeps come out in the order of `sweepOrder` (the ids as asked for), each sweep's in its own order. */
export function buildTradeoff(runs: TradeoffRun[], sweepOrder: string[] = []): TradeoffSeries[] {
  const groups = new Map<string, TradeoffRun[]>();
  for (const r of runs) {
    const key = canonicalJson([r.sweepId, r.guidance, r.method, r.methodParams, r.pUncond]);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const rank = (g: string) => (GUIDANCE_ORDER.includes(g) ? GUIDANCE_ORDER.indexOf(g) : GUIDANCE_ORDER.length);
  return [...groups.values()]
    .map((group) => {
      const { sweepId, guidance, method, pUncond } = group[0];
      const methodParams = (group[0].methodParams ?? {}) as MethodParams;
      const scales = [...new Set(group.map((r) => r.scale))].sort((a, b) => a - b);
      return {
        sweepId,
        guidance,
        method,
        methodParams,
        label: `${methodLabel(method as MethodId, methodParams)}, p_uncond ${pUncond}`,
        pUncond,
        points: scales.map((s) => point(s, group.filter((r) => r.scale === s))),
      };
    })
    .sort((a, b) => sweepOrder.indexOf(a.sweepId) - sweepOrder.indexOf(b.sweepId) || rank(a.guidance) - rank(b.guidance) || a.guidance.localeCompare(b.guidance) || a.label.localeCompare(b.label) || a.pUncond - b.pUncond);
}
