/**
 * The results.json contract: what the sweep CLI writes and the API exports, read by the dashboard
 * and external scripts. One row per grid point.
 */
import { canonicalJson } from './canonical';
import { methodLabel, type MethodId, type MethodParams } from './methods';
import type { GuidanceType, SweepSpec } from './spec';

export interface RunMetrics {
  fid: number;
  is: number;
  isStd: number;
  kid: number;
  precision: number;
  recall: number;
  /** Density and coverage (Naeem et al. 2020, k = 5) over the reference set's k-NN balls. */
  density: number;
  coverage: number;
  adherence: number;
}

/** The metrics' names, in table order. */
export const METRIC_KEYS = ['fid', 'is', 'isStd', 'kid', 'precision', 'recall', 'density', 'coverage', 'adherence'] as const satisfies readonly (keyof RunMetrics)[];

export interface ResultRun {
  /** The original guidance type the method belongs to (every method without a classifier is classifier-free). */
  guidance: GuidanceType;
  method: MethodId;
  /** The method's parameters after defaults (the scale is `scale`). */
  methodParams: MethodParams;
  pUncond: number;
  /** Guidance scale s (GLIDE form); Ho & Salimans' w = s − 1. */
  scale: number;
  seed: number;
  sampler: SweepSpec['sampler']['kind'];
  steps: number;
  eta: number;
  n: number;
  metrics: RunMetrics;
  /** Path (CLI) or URL (API) of the run's sample grid PNG. */
  grid: string;
  /** Path (CLI) or URL (API) of every sample of the run as samples.npz (arrays x, y, seed). */
  samples?: string;
}

/** How far the scores can be trusted: the evaluator's held-out accuracy and the reference it scores against. */
export interface EvaluatorInfo {
  hash: string;
  /** Size of the reference set (one half of the held-out split; the floor draws from the other). */
  referenceN: number;
  /** The evaluator's accuracy on the whole held-out split, 0–1. */
  accuracy: number;
  /** The best accuracy any classifier can reach on it: 1 for real data, the Bayes classifier's on toy2d. */
  attainable: number;
  /** accuracy ≥ RELIABLE_ACCURACY × attainable; false means the scores are unreliable. */
  reliable: boolean;
  /** Real points the floor scored (the runs' N, or fewer when the held-out half has fewer of a class). */
  floorN: number;
}

/** The evaluator must classify held-out real data at least this well (relative to what is attainable). */
export const RELIABLE_ACCURACY = 0.98;

export const isReliable = (accuracy: number, attainable: number) => accuracy >= RELIABLE_ACCURACY * attainable;

/** One grid point over its seeds: its settings, the seed count, and each metric's mean and sample std. */
export type ResultAggregate = Omit<ResultRun, 'seed' | 'metrics' | 'grid'> & {
  seeds: number;
  mean: RunMetrics;
  /** null with fewer than 2 seeds. */
  std: { [K in keyof RunMetrics]: number | null };
};

/** Where, how and how long the sweep CLI ran: what a published time or score needs beside it. */
export interface SweepExecution {
  /** The arguments after `npm run sweep --`. */
  command: string;
  machine: { cpu: string; cores: number; memoryGiB: number; node: string; platform: string };
  startedAt: string;
  /** Engine processes at a time. */
  jobs: number;
  wallSeconds: number;
  /** When the last model the sweep had to train was done (0 when all were reused). */
  modelsSeconds: number;
  /** User + system CPU of the coordinator and its engine processes. */
  cpuSeconds: number;
}

export interface ResultsFile {
  spec: SweepSpec;
  backend: string;
  engineVersion: string;
  evaluator: EvaluatorInfo;
  /** Held-out real data scored like a run, at the runs' N: the best any model can score here. */
  floor: RunMetrics;
  runs: ResultRun[];
  aggregates: ResultAggregate[];
  /** The CLI's run that trained and sampled (kept by --rescore); absent from the API's results. */
  execution?: SweepExecution;
}

export const RESULT_COLUMNS = ['guidance', 'method', 'methodParams', 'pUncond', 'scale', 'w', 'seed', 'sampler', 'steps', 'eta', 'n', 'fid', 'is', 'isStd', 'kid', 'precision', 'recall', 'density', 'coverage', 'adherence', 'grid'] as const;

/** A run's method and parameters as one label ("classifier-free interval=[0.3,1.6]"); runs from before methods read as their guidance type. */
export const runMethodLabel = (r: Partial<Pick<ResultRun, 'method' | 'methodParams'>> & Pick<ResultRun, 'guidance'>): string =>
  methodLabel(r.method ?? r.guidance, r.methodParams ?? {});

/**
 * Rows in a stable order: guidance type, method and parameters, p_uncond, seed, then scale.
 * Aggregates (no seed) sort by the same comparator, the seed tie-break dropping out.
 */
export function sortRuns<T extends Pick<ResultRun, 'guidance' | 'pUncond' | 'scale'> & Partial<Pick<ResultRun, 'seed' | 'method' | 'methodParams'>>>(runs: T[]): T[] {
  return [...runs].sort(
    (a, b) =>
      a.guidance.localeCompare(b.guidance) ||
      runMethodLabel(a).localeCompare(runMethodLabel(b)) ||
      a.pUncond - b.pUncond ||
      (a.seed ?? 0) - (b.seed ?? 0) ||
      a.scale - b.scale,
  );
}

function csvCell(value: unknown): string {
  const text = String(value ?? '');
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Every setting of a run but its seed (so fields added to runs later count too). */
function pointSettings(run: ResultRun): Omit<ResultRun, 'seed' | 'metrics' | 'grid' | 'samples'> {
  const { seed: _seed, metrics: _metrics, grid: _grid, samples: _samples, ...settings } = run;
  return settings;
}

/** A grid point's identity. */
const pointKey = (run: ResultRun): string => JSON.stringify(Object.entries(pointSettings(run)).sort(([a], [b]) => a.localeCompare(b)));

const meanOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Sample standard deviation (n − 1); null for fewer than 2 values. */
export function sampleStd(xs: number[]): number | null {
  if (xs.length < 2) return null;
  const m = meanOf(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

function aggregate(group: ResultRun[]): ResultAggregate {
  const values = (k: keyof RunMetrics) => group.map((r) => r.metrics[k]);
  const mean = Object.fromEntries(METRIC_KEYS.map((k) => [k, meanOf(values(k))])) as unknown as RunMetrics;
  const std = Object.fromEntries(METRIC_KEYS.map((k) => [k, sampleStd(values(k))])) as unknown as ResultAggregate['std'];
  return { ...pointSettings(group[0]), seeds: group.length, mean, std };
}

/** Runs grouped by grid point, each group's aggregate keyed by the point. */
function aggregatesByPoint(runs: ResultRun[]): Map<string, ResultAggregate> {
  const groups = new Map<string, ResultRun[]>();
  for (const r of sortRuns(runs)) {
    const key = pointKey(r);
    const group = groups.get(key);
    if (group) group.push(r);
    else groups.set(key, [r]);
  }
  return new Map([...groups].map(([key, group]) => [key, aggregate(group)]));
}

/** One entry per grid point without its seed: guidance type, method and parameters, p_uncond, then scale. */
export function aggregateRuns(runs: ResultRun[]): ResultAggregate[] {
  return sortRuns([...aggregatesByPoint(runs).values()]);
}

/** Per-run columns after RESULT_COLUMNS: the grid point's seed count and each metric's mean and std over seeds. */
const SEED_COLUMNS = ['seeds', ...METRIC_KEYS.flatMap((k) => [`${k}Mean`, `${k}SeedStd`])];

/**
 * CSV with one row per run, w = s − 1 alongside s, and the method's parameters as JSON with sorted
 * keys; each row also carries its grid point's mean and std over seeds.
 */
export function resultsToCsv(results: Pick<ResultsFile, 'runs'>): string {
  const points = aggregatesByPoint(results.runs);
  const columns = [...RESULT_COLUMNS, ...SEED_COLUMNS];
  const rows = sortRuns(results.runs).map((r) => {
    const agg = points.get(pointKey(r))!;
    const seedStats = Object.fromEntries(METRIC_KEYS.flatMap((k) => [[`${k}Mean`, agg.mean[k]], [`${k}SeedStd`, agg.std[k]]]));
    const flat: Record<string, unknown> = { ...r, ...r.metrics, w: r.scale - 1, methodParams: canonicalJson(r.methodParams ?? {}), seeds: agg.seeds, ...seedStats };
    return columns.map((c) => csvCell(flat[c])).join(',');
  });
  return [columns.join(','), ...rows].join('\n') + '\n';
}
