import { describe, expect, it } from 'vitest';
import { median, peakShareSpread, ratioSpread, slowBlasWarning, spread } from './timing';

describe('bench statistics', () => {
  it('median: the middle value, or the mean of the middle two', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(/no values/);
  });

  it('spread: median and the extremes, whatever the order', () => {
    expect(spread([120, 80, 100, 300])).toEqual({ median: 110, min: 80, max: 300 });
    expect(spread([7])).toEqual({ median: 7, min: 7, max: 7 });
  });

  it('ratioSpread pairs rounds: a load that slows both engines alike cancels out', () => {
    // Round 2 ran 3× slower for both; the per-round ratio stays 2, where a ratio of medians would not.
    const ours = [200, 600, 210];
    const theirs = [100, 300, 100];
    expect(ratioSpread(ours, theirs)).toEqual({ median: 2, min: 2, max: 2.1 });
    expect(() => ratioSpread([1, 2], [1])).toThrow(/2 rounds against 1/);
  });

  it('peakShareSpread divides each round by the peak measured in that round', () => {
    // 1 GFLOP per step: 10 ms is 100 GFLOP/s. Round 2 ran at half speed, and so did the matmul peak.
    const share = peakShareSpread(1e9, [10, 20, 10], [200, 100, 250]);
    expect(share.median).toBeCloseTo(0.5, 12);
    expect(share.min).toBeCloseTo(0.4, 12);
    expect(share.max).toBeCloseTo(0.5, 12);
    expect(() => peakShareSpread(1e9, [10, 20], [200])).toThrow(/2 rounds against 1 peaks/);
  });

  it('slowBlasWarning: only when every Python library reads below tfjs-wasm (the reference BLAS)', () => {
    // Debian's numpy and torch without OpenBLAS: ~5 GFLOP/s against tfjs-wasm's ~40.
    const warning = slowBlasWarning([{ numpy: 4.9, torch: 4.7 }, { numpy: 4.8, torch: 4.9 }, { numpy: 3.6, torch: 4.4 }], 39.3);
    expect(warning).toMatch(/numpy 4\.8, torch 4\.7 against 39\.3/);
    expect(warning).toMatch(/libopenblas0-pthread/);
    expect(slowBlasWarning([{ numpy: 155, torch: 150 }], 39.3)).toBeNull();
    expect(slowBlasWarning([{ numpy: 30, torch: 45 }], 39.3)).toBeNull(); // one fast library: the peak is real
    expect(slowBlasWarning([{}, {}], 39.3)).toBeNull(); // Python missing: said elsewhere
  });
});
