import { describe, expect, it } from 'vitest';
import { aggregateRuns, type ResultRun, type ResultsFile, type RunMetrics } from '@guidance-lab/experiments';
import { formatResultsTable } from './table';

const m = (fid: number): RunMetrics => ({ fid, is: 3, isStd: 0.2, kid: 0.1, precision: 0.9, recall: 0.8, density: 1, coverage: 0.9, adherence: 0.95 });
const run = (scale: number, seed: number, fid: number): ResultRun => ({ guidance: 'classifier-free', method: 'classifier-free', methodParams: {}, pUncond: 0.1, scale, seed, sampler: 'ddim', steps: 10, eta: 0, n: 40, metrics: m(fid), grid: '' });
const table = (runs: ResultRun[], accuracy: number) => {
  const results: Pick<ResultsFile, 'runs' | 'aggregates' | 'floor' | 'evaluator'> = {
    runs, aggregates: aggregateRuns(runs), floor: m(0.5),
    evaluator: { hash: 'h', referenceN: 100, accuracy, attainable: 1, reliable: accuracy >= 0.98, floorN: 40 },
  };
  return formatResultsTable(results).split('\n');
};

describe('formatResultsTable', () => {
  it('shows one row per run with one seed, then the floor and the evaluator accuracy', () => {
    const lines = table([run(1, 0, 2), run(2, 0, 3)], 0.99);
    expect(lines[0]).toMatch(/\| seed \|.*\| density \| coverage \|/);
    expect(lines.slice(2, 4).map((l) => l.split('|')[6].trim())).toEqual(['2.000', '3.000']);
    expect(lines[2]).toContain('3.000 ± 0.200'); // IS ± its spread over splits
    expect(lines[4]).toMatch(/^\| real data \(floor\) \|.*\| 0\.500 /);
    expect(lines).toContain('evaluator accuracy on held-out real data: 0.990');
    expect(lines.some((l) => l.startsWith('WARNING'))).toBe(false);
  });

  it('shows mean ± std over seeds and the seed count with two or more seeds, and warns below 0.98', () => {
    // FID 2 and 4 over two seeds: mean 3, sample std √2.
    const lines = table([run(1, 0, 2), run(1, 1, 4)], 0.95);
    expect(lines[0]).toMatch(/\| seeds \|/);
    expect(lines).toHaveLength(2 + 1 + 1 + 2 + 1);
    const cells = lines[2].split('|').map((c) => c.trim());
    expect(cells[5]).toBe('2');
    expect(cells[6]).toBe(`3.000 ± ${Math.SQRT2.toFixed(3)}`);
    expect(lines.at(-1)).toMatch(/^WARNING: scores are unreliable/);
  });
});
