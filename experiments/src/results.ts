/**
 * The results.json contract: what the sweep CLI writes and the API exports, read by the dashboard
 * and external scripts. One row per grid point.
 */
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
  guidance: GuidanceType;
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

export interface ResultsFile {
  spec: SweepSpec;
  backend: string;
  engineVersion: string;
  evaluator: { hash: string; referenceN: number };
  runs: ResultRun[];
}

export const RESULT_COLUMNS = ['guidance', 'pUncond', 'scale', 'w', 'seed', 'sampler', 'steps', 'eta', 'n', 'fid', 'is', 'isStd', 'kid', 'precision', 'recall', 'adherence', 'grid'] as const;

/** Rows in a stable order: guidance type, p_uncond, seed, then scale. */
export function sortRuns<T extends Pick<ResultRun, 'guidance' | 'pUncond' | 'seed' | 'scale'>>(runs: T[]): T[] {
  return [...runs].sort((a, b) => a.guidance.localeCompare(b.guidance) || a.pUncond - b.pUncond || a.seed - b.seed || a.scale - b.scale);
}

function csvCell(value: unknown): string {
  const text = String(value ?? '');
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV with one row per run and w = s − 1 alongside s. */
export function resultsToCsv(results: Pick<ResultsFile, 'runs'>): string {
  const rows = sortRuns(results.runs).map((r) => {
    const flat: Record<string, unknown> = { ...r, ...r.metrics, w: r.scale - 1 };
    return RESULT_COLUMNS.map((c) => csvCell(flat[c])).join(',');
  });
  return [RESULT_COLUMNS.join(','), ...rows].join('\n') + '\n';
}
