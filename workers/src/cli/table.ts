/**
 * The sweep's results table as a researcher reads it in a terminal: one row per grid point (per run
 * with one seed; mean ± std over seeds with two or more), the real-data floor beneath, and a warning
 * when the evaluator is too weak for its scores to mean anything.
 */
import { RELIABLE_ACCURACY, runMethodLabel, sortRuns, type ResultAggregate, type ResultsFile, type RunMetrics } from '@guidance-lab/experiments';

type Row = Pick<ResultAggregate, 'pUncond' | 'scale' | 'n'> & { method: string; seed: string; mean: RunMetrics; std: Partial<Record<keyof RunMetrics, number | null>> };

const num = (digits: number) => (key: keyof RunMetrics) => (r: Row) => {
  const sd = key === 'isStd' ? null : r.std[key];
  return sd == null ? r.mean[key].toFixed(digits) : `${r.mean[key].toFixed(digits)} ± ${sd.toFixed(digits)}`;
};

function columns(seeded: boolean): { title: string; cell: (r: Row) => string }[] {
  return [
    { title: 'method', cell: (r) => r.method },
    { title: 'p_uncond', cell: (r) => (Number.isNaN(r.pUncond) ? '' : String(r.pUncond)) },
    { title: 's', cell: (r) => (Number.isNaN(r.scale) ? '' : String(r.scale)) },
    { title: 'w', cell: (r) => (Number.isNaN(r.scale) ? '' : String(Number((r.scale - 1).toFixed(6)))) },
    { title: seeded ? 'seeds' : 'seed', cell: (r) => r.seed },
    { title: 'FID', cell: num(3)('fid') },
    // One seed: IS ± its spread over the 10 splits; several: mean ± std over seeds.
    { title: 'IS ± std', cell: (r) => (seeded ? num(3)('is')(r) : `${r.mean.is.toFixed(3)} ± ${r.mean.isStd.toFixed(3)}`) },
    { title: 'KID', cell: num(4)('kid') },
    { title: 'precision', cell: num(3)('precision') },
    { title: 'recall', cell: num(3)('recall') },
    { title: 'density', cell: num(3)('density') },
    { title: 'coverage', cell: num(3)('coverage') },
    { title: 'adherence', cell: num(3)('adherence') },
    { title: 'N', cell: (r) => String(r.n) },
  ];
}

/** A Markdown table (readable in a terminal, pasteable into the README), then the evaluator's verdict. */
export function formatResultsTable(results: Pick<ResultsFile, 'runs' | 'aggregates' | 'floor' | 'evaluator'>): string {
  const seeded = results.aggregates.some((a) => a.seeds >= 2);
  const rows: Row[] = seeded
    ? results.aggregates.map((a) => ({ ...a, method: runMethodLabel(a), seed: String(a.seeds) }))
    : sortRuns(results.runs).map((r) => ({ ...r, method: runMethodLabel(r), seed: String(r.seed), mean: r.metrics, std: {} }));
  const floor: Row = { method: 'real data (floor)', pUncond: NaN, scale: NaN, n: results.evaluator.floorN, seed: '', mean: results.floor, std: {} };
  const cols = columns(seeded);
  const cells = [...rows, floor].map((r) => cols.map((c) => c.cell(r)));
  const widths = cols.map((c, i) => Math.max(c.title.length, ...cells.map((row) => row[i].length)));
  const line = (row: string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  const { accuracy, attainable, reliable } = results.evaluator;
  const verdict = `evaluator accuracy on held-out real data: ${accuracy.toFixed(3)}${attainable < 1 ? ` (the Bayes classifier reaches ${attainable.toFixed(3)})` : ''}`;
  const warning = reliable ? [] : [`WARNING: scores are unreliable — the evaluator is below ${RELIABLE_ACCURACY} × the attainable accuracy; train it longer before reading these numbers.`];
  return [line(cols.map((c) => c.title)), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line), '', verdict, ...warning].join('\n');
}
