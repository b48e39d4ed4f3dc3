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
  adherence: number;
}

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
}

export interface ResultsFile {
  spec: SweepSpec;
  backend: string;
  engineVersion: string;
  evaluator: { hash: string; referenceN: number };
  runs: ResultRun[];
}

export const RESULT_COLUMNS = ['guidance', 'method', 'methodParams', 'pUncond', 'scale', 'w', 'seed', 'sampler', 'steps', 'eta', 'n', 'fid', 'is', 'isStd', 'kid', 'precision', 'recall', 'adherence', 'grid'] as const;

/** A run's method and parameters as one label ("classifier-free interval=[0.3,1.6]"); runs from before methods read as their guidance type. */
export const runMethodLabel = (r: Partial<Pick<ResultRun, 'method' | 'methodParams'>> & Pick<ResultRun, 'guidance'>): string =>
  methodLabel(r.method ?? r.guidance, r.methodParams ?? {});

/** Rows in a stable order: guidance type, method and parameters, p_uncond, seed, then scale. */
export function sortRuns<T extends Pick<ResultRun, 'guidance' | 'pUncond' | 'seed' | 'scale'> & Partial<Pick<ResultRun, 'method' | 'methodParams'>>>(runs: T[]): T[] {
  return [...runs].sort(
    (a, b) => a.guidance.localeCompare(b.guidance) || runMethodLabel(a).localeCompare(runMethodLabel(b)) || a.pUncond - b.pUncond || a.seed - b.seed || a.scale - b.scale,
  );
}

function csvCell(value: unknown): string {
  const text = String(value ?? '');
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV with one row per run, w = s − 1 alongside s, and the method's parameters as JSON with sorted keys. */
export function resultsToCsv(results: Pick<ResultsFile, 'runs'>): string {
  const rows = sortRuns(results.runs).map((r) => {
    const flat: Record<string, unknown> = { ...r, ...r.metrics, w: r.scale - 1, methodParams: canonicalJson(r.methodParams ?? {}) };
    return RESULT_COLUMNS.map((c) => csvCell(flat[c])).join(',');
  });
  return [RESULT_COLUMNS.join(','), ...rows].join('\n') + '\n';
}
