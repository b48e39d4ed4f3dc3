/**
 * The rows of the side-by-side sample view: for one seed, each method × parameters × p_uncond's runs
 * ordered by scale, aligned in columns on the union of scales (a series lacking a scale leaves a gap).
 */
import { compareSeries, seriesKey, seriesLabel } from './tradeoff';
import type { Run } from './types';

export interface SampleRow {
  key: string;
  label: string;
  /** One cell per column scale; null where this series has no run at that scale. */
  cells: (Run | null)[];
}

/**
 * What a side-by-side sample view can show of these runs: their seeds and class names, and the seed
 * and class to show (the asked ones when the runs have them, else the first seed and nearest class).
 */
export function sampleChoice(runs: Run[], seed: number, cls: number): { seeds: number[]; seed: number; classNames: string[]; cls: number } {
  const seeds = [...new Set(runs.map((r) => r.seed))].sort((a, b) => a - b);
  const classNames = runs.find((r) => r.grid)?.grid?.classNames ?? [];
  return { seeds, seed: seeds.includes(seed) ? seed : (seeds[0] ?? 0), classNames, cls: Math.min(Math.max(0, cls), Math.max(0, classNames.length - 1)) };
}

export function seriesOptions(runs: Run[]): { key: string; label: string }[] {
  const seen = new Map<string, { key: string; label: string; guidance: string; method: string; pUncond: number }>();
  for (const r of runs) {
    const key = seriesKey(r.methodLabel, r.pUncond);
    if (!seen.has(key)) seen.set(key, { key, label: seriesLabel(r.methodLabel, r.pUncond), guidance: r.guidance, method: r.methodLabel, pUncond: r.pUncond });
  }
  return [...seen.values()].sort(compareSeries).map(({ key, label }) => ({ key, label }));
}

/** Rows for the chosen series keys (in the order given) at one seed, columns = sorted union of their scales. */
export function sampleRows(runs: Run[], keys: string[], seed: number): { scales: number[]; rows: SampleRow[] } {
  const chosen = runs.filter((r) => r.seed === seed && keys.includes(seriesKey(r.methodLabel, r.pUncond)));
  const scales = [...new Set(chosen.map((r) => r.scale))].sort((a, b) => a - b);
  const rows = keys.flatMap((key) => {
    const mine = chosen.filter((r) => seriesKey(r.methodLabel, r.pUncond) === key);
    if (mine.length === 0) return [];
    return [{ key, label: seriesLabel(mine[0].methodLabel, mine[0].pUncond), cells: scales.map((s) => mine.find((r) => r.scale === s) ?? null) }];
  });
  return { scales, rows };
}

/**
 * Sample rows across sweeps (the comparison page): every series of every sweep at one seed, rows
 * labelled "sweep: series" in sweep order, aligned in columns on the union of all their scales.
 */
export function compareSampleRows(sweeps: { id: string; name: string; runs: Run[] }[], seed: number): { scales: number[]; rows: SampleRow[] } {
  const perSweep = sweeps.map((s) => ({ sweep: s, ...sampleRows(s.runs, seriesOptions(s.runs).map((o) => o.key), seed) }));
  const scales = [...new Set(perSweep.flatMap((p) => p.scales))].sort((a, b) => a - b);
  const rows = perSweep.flatMap(({ sweep, scales: own, rows: sweepRows }) =>
    sweepRows.map((row) => ({ key: `${sweep.id}:${row.key}`, label: `${sweep.name}: ${row.label}`, cells: scales.map((s) => (own.includes(s) ? row.cells[own.indexOf(s)] : null)) })),
  );
  return { scales, rows };
}
