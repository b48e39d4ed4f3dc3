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
