/** The sweep's results table, one row per grid point, as a researcher reads it in a terminal. */
import { runMethodLabel, sortRuns, type ResultRun } from '@guidance-lab/experiments';

const COLUMNS: { title: string; cell: (r: ResultRun) => string }[] = [
  { title: 'method', cell: (r) => runMethodLabel(r) },
  { title: 'p_uncond', cell: (r) => String(r.pUncond) },
  { title: 's', cell: (r) => String(r.scale) },
  { title: 'w', cell: (r) => String(Number((r.scale - 1).toFixed(6))) },
  { title: 'seed', cell: (r) => String(r.seed) },
  { title: 'FID', cell: (r) => r.metrics.fid.toFixed(3) },
  { title: 'IS ± std', cell: (r) => `${r.metrics.is.toFixed(3)} ± ${r.metrics.isStd.toFixed(3)}` },
  { title: 'KID', cell: (r) => r.metrics.kid.toFixed(4) },
  { title: 'precision', cell: (r) => r.metrics.precision.toFixed(3) },
  { title: 'recall', cell: (r) => r.metrics.recall.toFixed(3) },
  { title: 'adherence', cell: (r) => r.metrics.adherence.toFixed(3) },
  { title: 'N', cell: (r) => String(r.n) },
];

/** A Markdown table (readable in a terminal, pasteable into the README). */
export function formatResultsTable(runs: ResultRun[]): string {
  const rows = sortRuns(runs).map((r) => COLUMNS.map((c) => c.cell(r)));
  const widths = COLUMNS.map((c, i) => Math.max(c.title.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  return [line(COLUMNS.map((c) => c.title)), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
