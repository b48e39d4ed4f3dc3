import { describe, expect, it } from 'vitest';
import { aggregateRuns, isReliable, resultsToCsv, sampleStd, type ResultRun, type RunMetrics } from './results';

const metrics: RunMetrics = { fid: 1.5, is: 3.2, isStd: 0.1, kid: 0.01, precision: 0.9, recall: 0.4, density: 1.1, coverage: 0.8, adherence: 0.95 };
const run = (guidance: ResultRun['guidance'], scale: number, seed = 0, m: Partial<RunMetrics> = {}): ResultRun => ({
  guidance, method: guidance, methodParams: {}, pUncond: 0.1, scale, seed, sampler: 'ddim', steps: 50, eta: 0, n: 400, metrics: { ...metrics, ...m }, grid: `grids/${guidance}-${scale}-${seed}.png`,
});

describe('results export', () => {
  it('writes one CSV row per run, ordered by guidance then scale, with w = s − 1 and density/coverage beside precision/recall', () => {
    const csv = resultsToCsv({ runs: [run('classifier-free', 3), run('classifier', 1), run('classifier-free', 0.5)] }).trim().split('\n');
    expect(csv[0].startsWith('guidance,method,methodParams,pUncond,scale,w,seed,sampler,steps,eta,n,fid,is,isStd,kid,precision,recall,density,coverage,adherence,grid,seeds,fidMean,fidSeedStd,')).toBe(true);
    expect(csv.slice(1).map((l) => l.split(',').slice(0, 6).join(','))).toEqual([
      'classifier,classifier,{},0.1,1,0',
      'classifier-free,classifier-free,{},0.1,0.5,-0.5',
      'classifier-free,classifier-free,{},0.1,3,2',
    ]);
    // One seed: the seed count is 1, the mean is the value and the spread over seeds is empty.
    const header = csv[0].split(',');
    const row = csv[1].split(',');
    expect([row[header.indexOf('seeds')], row[header.indexOf('fidMean')], row[header.indexOf('fidSeedStd')]]).toEqual(['1', '1.5', '']);
  });
});

describe('seed aggregation', () => {
  it('gives one entry per grid point with the mean and sample std over its seeds', () => {
    // FID 1, 2, 6 over three seeds: mean 3, sample variance ((−2)² + (−1)² + 3²) / 2 = 7.
    const runs = [run('classifier-free', 2, 0, { fid: 1 }), run('classifier-free', 2, 1, { fid: 2 }), run('classifier-free', 2, 2, { fid: 6 }), run('classifier', 2, 0)];
    const aggs = aggregateRuns(runs);
    expect(aggs.map((a) => [a.guidance, a.scale, a.seeds])).toEqual([['classifier', 2, 1], ['classifier-free', 2, 3]]);
    const cfg = aggs[1];
    expect(cfg.mean.fid).toBeCloseTo(3, 12);
    expect(cfg.std.fid).toBeCloseTo(Math.sqrt(7), 12);
    expect(cfg.mean.is).toBeCloseTo(3.2, 12);
    expect(cfg.std.is).toBeCloseTo(0, 12);
    expect(aggs[0].std.fid).toBeNull();
    expect(Object.keys(cfg.mean).sort()).toEqual(Object.keys(metrics).sort());
    expect(cfg).not.toHaveProperty('seed');
    expect(cfg).toMatchObject({ pUncond: 0.1, sampler: 'ddim', steps: 50, eta: 0, n: 400 });
    // The CSV carries the same numbers on each of the point's rows.
    const csv = resultsToCsv({ runs }).trim().split('\n').map((l) => l.split(','));
    const col = (name: string) => csv[0].indexOf(name);
    const cfgRows = csv.filter((r) => r[0] === 'classifier-free');
    expect(cfgRows.map((r) => [r[col('seeds')], Number(r[col('fidMean')]), Number(r[col('fidSeedStd')]).toFixed(6)])).toEqual(Array(3).fill(['3', 3, Math.sqrt(7).toFixed(6)]));
  });

  it('keeps points apart that differ in any setting but the seed', () => {
    const runs = [run('classifier-free', 2, 0), { ...run('classifier-free', 2, 1), steps: 25 }];
    expect(aggregateRuns(runs).map((a) => a.seeds)).toEqual([1, 1]);
  });

  it('uses the n − 1 standard deviation and refuses a spread from one value', () => {
    expect(sampleStd([2, 4])).toBeCloseTo(Math.SQRT2, 12);
    expect(sampleStd([5])).toBeNull();
  });
});

describe('evaluator verdict', () => {
  it('trusts an evaluator at ≥ 0.98 of the attainable accuracy', () => {
    expect(isReliable(0.985, 1)).toBe(true);
    expect(isReliable(0.975, 1)).toBe(false);
    // toy2d: classes overlap, the Bayes classifier reaches 0.85, so 0.84 is as good as it gets.
    expect(isReliable(0.84, 0.85)).toBe(true);
    expect(isReliable(0.8, 0.85)).toBe(false);
  });
});
