import { describe, expect, it } from 'vitest';
import { methodColor } from '@guidance-lab/experiments/palette';
import { chartData, curveOptima, curvesFromApi, metricByScale, paretoFlags } from './tradeoff';
import type { TradeoffPointApi, TradeoffSeriesApi } from './types';

const NO_STD = { fid: null, is: null, isStd: null, kid: null, precision: null, recall: null, density: null, coverage: null, adherence: null };
const pt = (runId: string, scale: number, fid: number | null, is: number | null, std: Partial<TradeoffPointApi['std']> = {}): TradeoffPointApi => ({
  scale,
  w: scale - 1,
  seeds: fid === null ? 0 : 1,
  runIds: [runId],
  fid,
  is,
  isStd: null,
  kid: null,
  precision: null,
  recall: fid === null ? null : 1 / (1 + scale),
  density: null,
  coverage: null,
  adherence: null,
  std: { ...NO_STD, ...std },
  gridUrl: `/grids/${runId}.png`,
});
const series = (guidance: string, pUncond: number, points: TradeoffPointApi[], method = guidance, methodParams: TradeoffSeriesApi['methodParams'] = {}, sweep = 'sw1'): TradeoffSeriesApi => ({
  sweepId: sweep,
  sweepName: `sweep ${sweep}`,
  guidance,
  method,
  methodParams,
  pUncond,
  label: '',
  points,
});

describe('curvesFromApi', () => {
  it('orders curves CFG → classifier → none, then p_uncond; points by scale with w = s − 1', () => {
    const curves = curvesFromApi([
      series('none', 0.1, [pt('n', 0, 10, 2)]),
      series('classifier', 1, [pt('c2', 2, 9, 3), pt('c0', 0, 12, 2)]),
      series('classifier-free', 0.5, [pt('f5', 4, 8, 8)]),
      series('classifier-free', 0.1, [pt('f3', 3, 5, 7), pt('f1', 1, 4, 5)]),
    ]);
    expect(curves.map((c) => c.key)).toEqual(['classifier-free:0.1', 'classifier-free:0.5', 'classifier:1', 'none:0.1']);
    expect(curves[0].points.map((p) => [p.runId, p.scale, p.w])).toEqual([
      ['f1', 1, 0],
      ['f3', 3, 2],
    ]);
    expect(curves[2].points.map((p) => p.scale)).toEqual([0, 2]);
    expect(curves[2].label).toBe('classifier guidance, p_uncond 1');
    expect(curves[0].points[0].metrics).toMatchObject({ fid: 4, is: 5, recall: 0.5 });
    // One colour per method wherever it appears; variants of a method differ by dash.
    expect(curves.map((c) => c.color)).toEqual([methodColor('classifier-free'), methodColor('classifier-free'), methodColor('classifier'), methodColor('none')]);
    expect(curves[0].dash).not.toBe(curves[1].dash);
    expect(curves[2].dash).toBe('');
  });

  it('keeps a method\'s colour whatever else is in the sweep', () => {
    const alone = curvesFromApi([series('classifier', 1, [pt('c', 1, 5, 4)])]);
    const mixed = curvesFromApi([series('classifier-free', 0.1, [pt('f', 1, 4, 5)]), series('classifier', 1, [pt('c', 1, 5, 4)])]);
    expect(alone[0].color).toBe(mixed[1].color);
    expect(mixed[0].color).not.toBe(mixed[1].color);
  });

  it('keys and labels curves by sweep when several sweeps are compared, in the order the API gave them', () => {
    const curves = curvesFromApi([
      series('classifier-free', 0.1, [pt('b1', 1, 4, 5)], 'classifier-free', {}, 'B'),
      series('classifier-free', 0.1, [pt('a1', 1, 3, 5)], 'classifier-free', {}, 'A'),
    ]);
    expect(curves.map((c) => [c.key, c.label])).toEqual([
      ['B:classifier-free:0.1', 'sweep B: classifier-free, p_uncond 0.1'],
      ['A:classifier-free:0.1', 'sweep A: classifier-free, p_uncond 0.1'],
    ]);
  });

  it('draws one curve per method and parameter setting, labelled by the parameters that differ from the defaults', () => {
    const curves = curvesFromApi([
      series('classifier-free', 0.1, [pt('f1', 1, 4, 5)], 'classifier-free', { interval: null, rescale: 0, schedule: 'constant' }),
      series('classifier-free', 0.1, [pt('i1', 1, 3, 5)], 'classifier-free', { interval: [0.28, 1.61], rescale: 0, schedule: 'constant' }),
      series('classifier-free', 0.1, [pt('a1', 1, 2, 5)], 'apg', { eta: 0, normThreshold: 2.5, momentum: -0.75 }),
    ]);
    expect(curves.map((c) => c.label)).toEqual(['apg, p_uncond 0.1', 'classifier-free, p_uncond 0.1', 'classifier-free interval=[0.28,1.61], p_uncond 0.1']);
    expect(new Set(curves.map((c) => c.key)).size).toBe(3);
  });
});

describe('paretoFlags', () => {
  it('keeps points no other point beats on both low FID and high IS', () => {
    // (fid, is): A(4,5) and B(6,7) trade off; C(5,4) is beaten by A; D ties B exactly (both stay); E(6,6) is beaten by B.
    const points = [
      { x: 4, y: 5 },
      { x: 6, y: 7 },
      { x: 5, y: 4 },
      { x: 6, y: 7 },
      { x: 6, y: 6 },
    ];
    expect(paretoFlags(points, 'fid', 'is')).toEqual([true, true, false, true, false]);
    // The same plane read with IS on x and FID on y gives the same frontier.
    expect(paretoFlags(points.map(({ x, y }) => ({ x: y, y: x })), 'is', 'fid')).toEqual([true, true, false, true, false]);
  });

  it('follows each metric direction (precision and recall both higher-better)', () => {
    expect(paretoFlags([{ x: 0.9, y: 0.2 }, { x: 0.5, y: 0.5 }, { x: 0.4, y: 0.4 }], 'precision', 'recall')).toEqual([true, true, false]);
  });
});

describe('chartData', () => {
  it('drops unscored points and marks the frontier across all curves', () => {
    const curves = curvesFromApi([
      series('classifier-free', 0.1, [pt('a', 1, 4, 5), pt('b', 3, 6, 9), pt('pending', 5, null, null)]),
      series('classifier', 1, [pt('c', 1, 5, 4), pt('d', 5, 5, 10)]),
    ]);
    const rows = chartData(curves, 'is', 'fid');
    expect(rows[0].data.map((p) => [p.runId, p.s, p.x, p.y, p.pareto])).toEqual([
      ['a', 1, 5, 4, true],
      ['b', 3, 9, 6, false],
    ]);
    expect(rows[1].data.map((p) => [p.runId, p.pareto])).toEqual([
      ['c', false],
      ['d', true],
    ]);
  });
});

describe('curveOptima and error bars', () => {
  it('marks each curve\'s best point per metric by its direction, and carries the seed spread to the axes', () => {
    // FID is lowest at s = 3, IS highest at s = 5, recall (1 / (1 + s)) highest at s = 1.
    const curves = curvesFromApi([series('classifier-free', 0.1, [pt('a', 1, 6, 5), pt('b', 3, 4, 7, { fid: 0.5 }), pt('c', 5, 5, 9, { is: 0.25 })])]);
    expect(curveOptima(curves[0])).toMatchObject({ fid: 'b', is: 'c', recall: 'a' });
    expect(curveOptima(curves[0]).kid).toBeUndefined();
    const rows = chartData(curves, 'is', 'fid');
    expect(rows[0].data.map((p) => [p.runId, p.xErr, p.yErr, p.best])).toEqual([
      ['a', null, null, []],
      ['b', null, 0.5, ['fid']],
      ['c', 0.25, null, ['is']],
    ]);
    expect(metricByScale(curves, 'recall')[0].data.map((p) => p.best)).toEqual([['recall'], [], []]);
  });
});

describe('metricByScale', () => {
  it('extracts one metric against s per curve', () => {
    const curves = curvesFromApi([series('classifier-free', 0.2, [pt('b', 3, 6, 9), pt('a', 1, 4, 5), pt('p', 2, null, null)])]);
    expect(metricByScale(curves, 'recall')[0].data.map((p) => [p.runId, p.x, p.y])).toEqual([
      ['a', 1, 0.5],
      ['b', 3, 0.25],
    ]);
  });
});
