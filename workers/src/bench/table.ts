/** The bench's one table: rows of measurements, rendered as aligned text. */
export interface BenchRow {
  engine: string;
  caseId: string;
  network: string;
  task: string;
  batch: number;
  /** Median over the rounds of each round's median milliseconds per step; null when the row did not run (see `note`). */
  ms: number | null;
  /** Fastest and slowest round. */
  msRange: [number, number] | null;
  /** Interleaved rounds the row ran. */
  rounds: number;
  imagesPerSec: number | null;
  gflops: number | null;
  /** Achieved GFLOP/s over the machine's measured float32 matmul peak. */
  peakShare: number | null;
  /** Our throughput / PyTorch's on the same case: the median of the per-round ratios (null for PyTorch rows and when it did not run). */
  vsTorch: number | null;
  /** The smallest and largest per-round ratio. */
  vsTorchRange: [number, number] | null;
  note?: string;
}

const fmt = (v: number | null, digits: number) => (v === null ? '—' : v >= 1000 ? v.toFixed(0) : v.toFixed(digits));

const range = (r: [number, number] | null, digits: number) => (r === null ? '' : ` (${fmt(r[0], digits)}–${fmt(r[1], digits)})`);

/** The rows as an aligned text table: medians over the rounds, with the rounds' min–max in brackets. */
export function renderTable(rows: BenchRow[]): string {
  const header = ['network', 'task', 'batch', 'engine', 'ms/step (min–max)', 'img/s', 'GFLOP/s', '% peak', '× PyTorch (min–max)'];
  const body = rows.map((r) => [
    r.network,
    r.task,
    String(r.batch),
    r.engine,
    r.ms === null ? (r.note ?? '—') : `${fmt(r.ms, 1)}${range(r.msRange, 1)}`,
    fmt(r.imagesPerSec, 1),
    fmt(r.gflops, 2),
    r.peakShare === null ? '—' : `${(100 * r.peakShare).toFixed(1)}%`,
    r.vsTorch === null ? (r.engine === 'pytorch' ? '1' : '—') : `${r.vsTorch.toFixed(2)}${range(r.vsTorchRange, 2)}`,
  ]);
  const notes = rows.filter((r) => r.ms !== null && r.note).map((r) => `  ${r.engine} ${r.caseId}: ${r.note}`);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 2 && i !== 3 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line), ...(notes.length ? ['', 'notes:', ...notes] : [])].join('\n');
}
