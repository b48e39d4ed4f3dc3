import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from './args';

describe('bench command line', () => {
  it('writes a whole run to bench.json and a partial one beside it, so a few rows do not replace the whole table', () => {
    expect(parseBenchArgs([]).out).toBe('bench-results/bench.json');
    expect(parseBenchArgs(['--quick']).out).toBe('bench-results/bench.json');
    expect(parseBenchArgs(['--only', 'evaluator']).out).toBe('bench-results/bench-partial.json');
    expect(parseBenchArgs(['--only', 'evaluator', '--out', '/tmp/x.json']).out).toBe('/tmp/x.json');
  });

  it('takes 3 rounds (2 with --quick) and refuses a round count outside 1–20, naming the flag', () => {
    expect(parseBenchArgs([]).rounds).toBe(3);
    expect(parseBenchArgs(['--quick']).rounds).toBe(2);
    expect(parseBenchArgs(['--rounds', '5']).rounds).toBe(5);
    for (const bad of ['0', '21', '2.5', 'x']) expect(() => parseBenchArgs(['--rounds', bad])).toThrow(/--rounds must be a whole number from 1 to 20/);
  });
});
