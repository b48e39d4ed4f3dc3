import { describe, expect, it } from 'vitest';
import { resultsToCsv, type ResultRun } from './results';

const metrics = { fid: 1.5, is: 3.2, isStd: 0.1, kid: 0.01, precision: 0.9, recall: 0.4, adherence: 0.95 };
const run = (guidance: ResultRun['guidance'], scale: number): ResultRun => ({
  guidance, method: guidance, methodParams: {}, pUncond: 0.1, scale, seed: 0, sampler: 'ddim', steps: 50, eta: 0, n: 400, metrics, grid: `grids/${guidance}-${scale}.png`,
});

describe('results export', () => {
  it('writes one CSV row per run, ordered by guidance then scale, with w = s − 1', () => {
    const csv = resultsToCsv({ runs: [run('classifier-free', 3), run('classifier', 1), run('classifier-free', 0.5)] }).trim().split('\n');
    expect(csv[0]).toBe('guidance,method,methodParams,pUncond,scale,w,seed,sampler,steps,eta,n,fid,is,isStd,kid,precision,recall,adherence,grid');
    expect(csv.slice(1).map((l) => l.split(',').slice(0, 6).join(','))).toEqual([
      'classifier,classifier,{},0.1,1,0',
      'classifier-free,classifier-free,{},0.1,0.5,-0.5',
      'classifier-free,classifier-free,{},0.1,3,2',
    ]);
  });
});
