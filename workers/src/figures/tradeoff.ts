/**
 * GLIDE's Figure 6 form: FID against IS, one curve per guidance type × p_uncond, each point labelled
 * with its scale, ±1 std error bars over seeds when there are two or more, and the real-data floor
 * marked — no point can sit below it honestly.
 */
import type { ResultsFile } from '@guidance-lab/experiments';
import type { TopLevelSpec } from 'vega-lite';
import { seriesLabel, seriesEncodings } from './series';

/** Where each series' scale labels sit around their points (pixels): right-above, left-below, right-below, left-above. */
const LABEL_OFFSETS: [number, number][] = [[5, -6], [-5, 11], [5, 11], [-5, -6]];

/** Error bars on a log axis must stay positive. */
const positive = (lo: number, value: number) => (lo > 0 ? lo : value / 10);

export function tradeoffSpec(results: Pick<ResultsFile, 'aggregates' | 'floor' | 'spec'>): TopLevelSpec {
  const seeded = results.aggregates.some((a) => a.seeds >= 2);
  const points = results.aggregates.map((a) => ({
    series: seriesLabel(a),
    scale: a.scale,
    label: `s=${a.scale}`,
    seeds: a.seeds,
    is: a.mean.is,
    fid: a.mean.fid,
    isLo: a.mean.is - (a.std.is ?? 0),
    isHi: a.mean.is + (a.std.is ?? 0),
    fidLo: positive(a.mean.fid - (a.std.fid ?? 0), a.mean.fid),
    fidHi: a.mean.fid + (a.std.fid ?? 0),
  }));
  const seriesLabels = [...new Set(points.map((p) => p.series))];
  const floor = [{ is: results.floor.is, fid: results.floor.fid, label: 'real data (floor)' }];
  const x = { field: 'is', type: 'quantitative', title: 'Inception Score (higher: more confident, more classes)', scale: { zero: false } } as const;
  const y = { field: 'fid', type: 'quantitative', title: 'FID (lower: closer to the held-out data)', scale: { type: 'log' } } as const;
  const { color, strokeDash } = seriesEncodings(results.aggregates);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `${results.spec.name}: FID vs IS as the guidance scale s grows`, subtitle: seeded ? 'points: mean over seeds; bars: ±1 std over seeds' : 'one seed per point' },
    width: 560,
    height: 380,
    config: { font: 'DejaVu Sans' },
    layer: [
      ...(seeded
        ? [
            { data: { values: points }, mark: { type: 'rule', opacity: 0.6 }, encoding: { x, y: { ...y, field: 'fidLo' }, y2: { field: 'fidHi' }, color } },
            { data: { values: points }, mark: { type: 'rule', opacity: 0.6 }, encoding: { x: { ...x, field: 'isLo' }, x2: { field: 'isHi' }, y, color } },
          ]
        : []),
      { data: { values: points }, mark: { type: 'line', point: { filled: true, size: 45 } }, encoding: { x, y, color, strokeDash, order: { field: 'scale', type: 'quantitative' } } },
      // Each series labels its points on its own side, so labels of nearby curves collide less.
      ...seriesLabels.map((series, i) => {
        const [dx, dy] = LABEL_OFFSETS[i % LABEL_OFFSETS.length];
        return {
          data: { values: points.filter((p) => p.series === series) },
          mark: { type: 'text', align: dx > 0 ? 'left' : 'right', dx, dy, fontSize: 9 },
          encoding: { x, y, color, text: { field: 'label' } },
        };
      }),
      { data: { values: floor }, mark: { type: 'point', shape: 'diamond', filled: true, size: 110, color: 'black' }, encoding: { x, y } },
      { data: { values: floor }, mark: { type: 'text', align: 'left', dx: 8, dy: 10, fontSize: 10, fontWeight: 'bold' }, encoding: { x, y, text: { field: 'label' } } },
    ],
  } as TopLevelSpec;
}
