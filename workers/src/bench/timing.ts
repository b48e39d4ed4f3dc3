/** Median wall time of repeated runs after warm-up, with a time budget (at least `minRuns` always run). */
export interface TimingOptions {
  warmup: number;
  minRuns: number;
  maxRuns: number;
  /** Stop adding runs past `minRuns` once this much time has been spent on timed runs. */
  budgetMs: number;
}

export interface Timing {
  ms: number;
  runs: number;
}

export function median(xs: number[]): number {
  if (xs.length === 0) throw new Error('median of no values');
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The middle and the extremes of repeated measurements (the rounds of an interleaved bench). */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function spread(xs: number[]): Spread {
  if (xs.length === 0) throw new Error('spread of no values');
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
}

/**
 * Per-round ratios a[i] / b[i] of two engines timed in the same rounds (so both saw the same load),
 * summarised: the ratio's spread, not a ratio of medians taken at different times.
 */
export function ratioSpread(a: number[], b: number[]): Spread {
  if (a.length !== b.length) throw new Error(`ratio of ${a.length} rounds against ${b.length}`);
  return spread(a.map((v, i) => v / b[i]));
}

/**
 * A step's share of the machine's matmul peak, round by round: `flops` per step over each round's
 * milliseconds, against the peak measured in that round. The VM's speed drifts over a run, so a
 * share taken against a peak read minutes earlier would measure the drift, not the engine.
 */
export function peakShareSpread(flops: number, ms: number[], peakGflops: number[]): Spread {
  if (ms.length !== peakGflops.length) throw new Error(`${ms.length} rounds against ${peakGflops.length} peaks`);
  return spread(ms.map((m, i) => flops / (m / 1000) / 1e9 / peakGflops[i]));
}

/**
 * A warning when Python's matmul (numpy, torch) reads below tfjs-wasm's — a sign that they run on
 * the reference BLAS, which makes the peak (and every row's share of it) tfjs-wasm's lower bound
 * and PyTorch's dense layers slow; null when they read faster or were not measured.
 */
export function slowBlasWarning(reads: Record<string, number>[], wasmGflops: number): string | null {
  const libraries = [...new Set(reads.flatMap((r) => Object.keys(r)))];
  if (!libraries.length) return null;
  const medians = libraries.map((lib) => [lib, median(reads.flatMap((r) => (lib in r ? [r[lib]] : [])))] as const);
  if (medians.some(([, g]) => g >= wasmGflops)) return null;
  const list = medians.map(([lib, g]) => `${lib} ${g.toFixed(1)}`).join(', ');
  return `Python's matmul reads below tfjs-wasm's (${list} against ${wasmGflops.toFixed(1)} GFLOP/s): numpy and torch are on the reference BLAS, so the peak and its shares are tfjs-wasm's lower bound and PyTorch's rows are not its best. On Debian: apt-get install libopenblas0-pthread.`;
}

export async function timeRuns(run: () => unknown | Promise<unknown>, o: TimingOptions): Promise<Timing> {
  for (let i = 0; i < o.warmup; i++) await run();
  const times: number[] = [];
  let spent = 0;
  while (times.length < o.maxRuns && (times.length < o.minRuns || spent < o.budgetMs)) {
    const start = performance.now();
    await run();
    const ms = performance.now() - start;
    times.push(ms);
    spent += ms;
  }
  return { ms: median(times), runs: times.length };
}
