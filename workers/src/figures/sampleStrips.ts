/**
 * One figure per class: that class's samples at every guidance scale, the same seeds in every row,
 * one block per guidance type × p_uncond. Images: a row of samples per scale (the engine's PNG grid
 * writer), labelled in SVG and rasterised with resvg. 2-D data: a scatter panel per scale on shared
 * axes, so the panels compare directly.
 */
import type { ResultRun } from '@guidance-lab/experiments';
import type { TopLevelSpec } from 'vega-lite';
import { imageGrid } from '../engine/render/index';
import { svgToPng, vegaLiteToSvg } from './render';
import { seriesLabel, seriesOf } from './series';

/** A run's grid samples: class by class, `perClass` each, each of `shape`. */
export interface StripRun {
  run: Pick<ResultRun, 'guidance' | 'pUncond' | 'scale' | 'seed'> & Partial<Pick<ResultRun, 'method' | 'methodParams'>>;
  x: ArrayLike<number>;
  perClass: number;
  shape: number[];
}

/** The lowest seed at every (series, scale), grouped into series. */
function blocks(runs: StripRun[]) {
  const lowest = new Map<string, StripRun>();
  for (const r of runs) {
    const key = JSON.stringify([seriesLabel(r.run), r.run.scale]);
    if (!lowest.has(key) || lowest.get(key)!.run.seed > r.run.seed) lowest.set(key, r);
  }
  return seriesOf([...lowest.values()].map((r) => ({ ...r.run, strip: r })));
}

function classRows(r: StripRun, k: number): Float32Array {
  const dim = r.shape.reduce((a, b) => a * b, 1);
  return Float32Array.from({ length: r.perClass * dim }, (_, i) => r.x[k * r.perClass * dim + i]);
}

/** "class 0" stays as it is; a bare name such as MNIST's "7" becomes "class 7". */
const classTitle = (name: string) => (/^class\b/i.test(name) ? name : `class ${name}`);

const escapeXml = (text: string) => text.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);

const SCALE = 2;
const LABEL_W = 70;
const GAP = 24;
const HEAD = 56;

/** Class k's image samples: for each series a block with one row per scale; SVG, PNG-ready. */
export function imageStripSvg(runs: StripRun[], k: number, className: string): string {
  const parts: string[] = [];
  let left = LABEL_W;
  let height = 0;
  for (const series of blocks(runs)) {
    const first = series.points[0].strip;
    const [h, w] = first.shape;
    const rows = series.points.length;
    const png = imageGrid(Float32Array.from(series.points.flatMap((p) => [...classRows(p.strip, k)])), first.shape as [number, number, number], rows, first.perClass, { scale: SCALE });
    const blockW = first.perClass * (w * SCALE + 1) + 1;
    const rowH = h * SCALE + 1;
    parts.push(`<text x="${left}" y="${HEAD - 8}" font-size="13" font-weight="bold">${escapeXml(series.label)}</text>`);
    parts.push(`<image x="${left}" y="${HEAD}" width="${blockW}" height="${rows * rowH + 1}" image-rendering="optimizeSpeed" href="data:image/png;base64,${Buffer.from(png).toString('base64')}"/>`);
    series.points.forEach((p, i) => parts.push(`<text x="${left - 6}" y="${HEAD + i * rowH + rowH / 2 + 4}" font-size="12" text-anchor="end">s = ${p.scale}</text>`));
    left += blockW + GAP + LABEL_W;
    height = Math.max(height, HEAD + rows * rowH + 12);
  }
  const width = left - LABEL_W;
  const title = `<text x="${LABEL_W}" y="20" font-size="15" font-weight="bold">${escapeXml(classTitle(className))}: every guidance scale s, the same seeds in every row</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.max(width, 560)}" height="${height}" font-family="DejaVu Sans"><rect width="100%" height="100%" fill="white"/>${title}${parts.join('')}</svg>`;
}

/** Class k's 2-D samples: a panel per scale (columns) and series (rows), on axes shared by all. */
export function pointStripSpec(runs: StripRun[], k: number, className: string): TopLevelSpec {
  const values = blocks(runs).flatMap((series) =>
    series.points.flatMap((p) => {
      const xs = classRows(p.strip, k);
      return Array.from({ length: xs.length / 2 }, (_, i) => ({ series: series.label, scale: p.scale, x: xs[2 * i], y: xs[2 * i + 1] }));
    }),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `${classTitle(className)}: its samples at every guidance scale s (same seeds, shared axes)` },
    config: { font: 'DejaVu Sans' },
    data: { values },
    facet: {
      row: { field: 'series', type: 'nominal', title: null, header: { labelAngle: 0, labelAlign: 'left', labelLimit: 240 } },
      column: { field: 'scale', type: 'ordinal', sort: 'ascending', title: 'guidance scale s', header: { labelExpr: "'s = ' + datum.value" } },
    },
    spec: {
      width: 120,
      height: 120,
      mark: { type: 'circle', size: 6, opacity: 0.6 },
      encoding: { x: { field: 'x', type: 'quantitative', title: null }, y: { field: 'y', type: 'quantitative', title: null } },
    },
  } as TopLevelSpec;
}

/** samples-class-<k>.png for class k, as PNG bytes. */
export async function sampleStripPng(runs: StripRun[], k: number, className: string): Promise<Uint8Array> {
  if (runs.length === 0) throw new Error('sample strips need at least one run');
  return runs[0].shape.length === 1 ? svgToPng(await vegaLiteToSvg(pointStripSpec(runs, k, className))) : svgToPng(imageStripSvg(runs, k, className), 1);
}
