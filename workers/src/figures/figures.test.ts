/**
 * The sweep's figures, read back as a script or a person would: the SVGs parsed (series, points,
 * scale labels, error bars), the PNGs decoded to their expected size.
 */
import { XMLParser } from 'fast-xml-parser';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { aggregateRuns, methodColor, type ResultRun, type ResultsFile, type RunMetrics } from '@guidance-lab/experiments';
import { PLOTTED_METRICS, metricsSpec } from './metricsChart';
import { svgToPng, vegaLiteToSvg } from './render';
import { imageStripSvg, pointStripSpec, sampleStripPng, type StripRun } from './sampleStrips';
import { tradeoffSpec } from './tradeoff';

const metrics = (scale: number, seed: number): RunMetrics => ({
  fid: 2 + (scale - 1.5) ** 2 + 0.1 * seed, is: 2 + scale + 0.05 * seed, isStd: 0.1, kid: 0.1, precision: 0.9, recall: 0.8 - 0.1 * scale, density: 1, coverage: 0.9, adherence: 0.5 + 0.1 * scale,
});
const floor = { ...metrics(1.5, 0), fid: 0.5, is: 3.9 };
const SERIES: [ResultRun['guidance'], number][] = [['classifier', 1], ['classifier-free', 0.1], ['classifier-free', 0.5]];
const SCALES = [0, 1, 3];

function results(seeds: number[]): ResultsFile {
  const runs: ResultRun[] = SERIES.flatMap(([guidance, pUncond]) =>
    SCALES.flatMap((scale) => seeds.map((seed) => ({ guidance, method: guidance, methodParams: {}, pUncond, scale, seed, sampler: 'ddim' as const, steps: 10, eta: 0, n: 40, metrics: metrics(scale, seed), grid: '' }))),
  );
  return {
    spec: { name: 'figure-test' } as ResultsFile['spec'], backend: 'wasm', engineVersion: '0', floor, runs, aggregates: aggregateRuns(runs),
    evaluator: { hash: 'h', referenceN: 100, accuracy: 0.99, attainable: 1, reliable: true, floorN: 40 },
  };
}

type Node = Record<string, unknown>;
/** Every element of a parsed SVG with its attributes, depth first. */
function elements(svg: string): { tag: string; attrs: Record<string, string>; text: string }[] {
  const tree = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', preserveOrder: true }).parse(svg) as Node[];
  const out: { tag: string; attrs: Record<string, string>; text: string }[] = [];
  const walk = (nodes: Node[]) => {
    for (const node of nodes) {
      const tag = Object.keys(node).find((k) => k !== ':@')!;
      const children = node[tag];
      const text = Array.isArray(children) ? children.map((c: Node) => c['#text'] ?? '').join('') : '';
      out.push({ tag, attrs: (node[':@'] ?? {}) as Record<string, string>, text: String(text) });
      if (Array.isArray(children)) walk(children as Node[]);
    }
  };
  walk(tree);
  return out;
}

/** Vega's aria-label "title: value; …" as a map. */
const ariaFields = (label: string) => Object.fromEntries(label.split('; ').map((kv) => [kv.slice(0, kv.lastIndexOf(': ')), kv.slice(kv.lastIndexOf(': ') + 2)]));

describe('tradeoff figure', () => {
  it('draws one curve per guidance × p_uncond with a point per scale at (mean IS, mean FID), labelled by scale, with the floor', async () => {
    const r = results([0]);
    const els = elements(await vegaLiteToSvg(tradeoffSpec(r)));
    const points = els.filter((e) => e.attrs['aria-roledescription'] === 'point').map((e) => ariaFields(e.attrs['aria-label']));
    const bySeries = (label: string) => points.filter((p) => p['guidance, p_uncond'] === label);
    for (const [guidance, pUncond] of SERIES) {
      const pts = bySeries(`${guidance}, p_uncond ${pUncond}`);
      expect(pts.map((p) => Number(p[Object.keys(p).find((k) => k.startsWith('Inception Score'))!]))).toEqual(SCALES.map((s) => metrics(s, 0).is));
      expect(pts.map((p) => Number(p[Object.keys(p).find((k) => k.startsWith('FID'))!]))).toEqual(SCALES.map((s) => metrics(s, 0).fid));
    }
    // The three curves, one line each, and their legend.
    expect(els.filter((e) => e.attrs['aria-roledescription'] === 'line mark')).toHaveLength(SERIES.length);
    const texts = els.filter((e) => e.tag === 'text').map((e) => e.text);
    for (const [guidance, pUncond] of SERIES) expect(texts).toContain(`${guidance}, p_uncond ${pUncond}`);
    expect(texts.filter((t) => t === 's=3')).toHaveLength(SERIES.length);
    expect(texts).toContain('real data (floor)');
    // One seed: no error bars.
    expect(els.filter((e) => e.attrs['aria-roledescription'] === 'rule mark')).toHaveLength(0);
  });

  it("strokes each curve in its method's colour (the dashboard's palette), the two classifier-free curves told apart by dash", async () => {
    const lines = elements(await vegaLiteToSvg(tradeoffSpec(results([0])))).filter((e) => e.attrs['aria-roledescription'] === 'line mark');
    const stroke = (label: string) => lines.filter((l) => ariaFields(l.attrs['aria-label'])['guidance, p_uncond'] === label).map((l) => [l.attrs.stroke, l.attrs['stroke-dasharray'] ?? '']);
    const [classifier] = stroke('classifier, p_uncond 1');
    const [cfgA] = stroke('classifier-free, p_uncond 0.1');
    const [cfgB] = stroke('classifier-free, p_uncond 0.5');
    expect(classifier[0]).toBe(methodColor('classifier'));
    expect([cfgA[0], cfgB[0]]).toEqual([methodColor('classifier-free'), methodColor('classifier-free')]);
    const cfgDashes = [cfgA[1], cfgB[1]];
    expect(new Set(cfgDashes).size).toBe(2);
  });

  it('draws ±1 std error bars in FID and IS with two or more seeds', async () => {
    const r = results([0, 1]);
    const rules = elements(await vegaLiteToSvg(tradeoffSpec(r))).filter((e) => e.attrs['aria-roledescription'] === 'rule mark').map((e) => ariaFields(e.attrs['aria-label']));
    expect(rules).toHaveLength(2 * SERIES.length * SCALES.length);
    // FID over seeds 0 and 1 differs by 0.1: sample std 0.1/√2 around the mean.
    const fidBar = rules.find((f) => 'fidHi' in f && f['guidance, p_uncond'] === 'classifier, p_uncond 1')!;
    const mean = metrics(0, 0).fid + 0.05;
    expect(Number(fidBar.fidHi)).toBeCloseTo(mean + 0.1 / Math.SQRT2, 9);
  });

  it('renders to a PNG of twice the SVG size', async () => {
    const svg = await vegaLiteToSvg(tradeoffSpec(results([0])));
    const [, w, h] = /<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg)!.map(Number);
    const png = PNG.sync.read(Buffer.from(svgToPng(svg)));
    expect([png.width, png.height]).toEqual([2 * w, 2 * h]);
  });
});

describe('metrics figure', () => {
  it('has a panel per metric, a line per series in each, and the floor', async () => {
    const els = elements(await vegaLiteToSvg(metricsSpec(results([0]))));
    const titles = els.filter((e) => e.tag === 'text').map((e) => e.text);
    for (const t of ['FID ↓', 'IS ↑', 'KID ↓', 'precision', 'recall', 'density', 'coverage', 'class adherence']) expect(titles).toContain(t);
    expect(els.filter((e) => e.attrs['aria-roledescription'] === 'line mark')).toHaveLength(PLOTTED_METRICS.length * SERIES.length);
    expect(els.filter((e) => e.attrs['aria-roledescription'] === 'point')).toHaveLength(PLOTTED_METRICS.length * SERIES.length * SCALES.length);
    // The floor: one dashed rule per panel.
    expect(els.filter((e) => e.attrs['aria-roledescription'] === 'rule mark')).toHaveLength(PLOTTED_METRICS.length);
  });
});

describe('sample strips', () => {
  const runsOf = (shape: number[], perClass: number, classes: number): StripRun[] => {
    const dim = shape.reduce((a, b) => a * b, 1);
    return SERIES.flatMap(([guidance, pUncond]) =>
      SCALES.flatMap((scale) => [1, 0].map((seed) => ({
        run: { guidance, pUncond, scale, seed },
        // Class c's samples are filled with c / classes, so a strip shows which class it took.
        x: Array.from({ length: classes * perClass * dim }, (_, i) => Math.floor(i / (perClass * dim)) / classes + seed),
        perClass, shape,
      }))),
    );
  };

  it('lays image samples out as one block per series, a row per scale, the lowest seed', async () => {
    const runs = runsOf([4, 4, 1], 3, 2);
    const svg = imageStripSvg(runs, 1, '1');
    const els = elements(svg);
    const images = els.filter((e) => e.tag === 'image');
    expect(images).toHaveLength(SERIES.length);
    // Each block: 3 samples of (4·2 + 1) px plus a border wide, 3 scales high.
    expect(images.map((i) => [Number(i.attrs.width), Number(i.attrs.height)])).toEqual(Array(SERIES.length).fill([3 * 9 + 1, 3 * 9 + 1]));
    const block = PNG.sync.read(Buffer.from(images[0].attrs.href.split(',')[1], 'base64'));
    // Class 1 of 2 at seed 0: value 0.5 → grey (0.5 + 1) · 127.5 ≈ 191; seed 1 would be white.
    expect(block.data[4 * (1 * block.width + 1)]).toBe(191);
    expect(els.filter((e) => e.tag === 'text').map((e) => e.text)).toEqual(expect.arrayContaining(['s = 0', 's = 1', 's = 3', 'classifier-free, p_uncond 0.5']));
    const png = PNG.sync.read(Buffer.from(await sampleStripPng(runs, 1, '1')));
    const [, w, h] = /<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg)!.map(Number);
    expect([png.width, png.height]).toEqual([w, h]);
  });

  it('draws 2-D samples as a panel per scale and series, only the asked class', async () => {
    const runs = runsOf([2], 5, 3);
    const values = (pointStripSpec(runs, 2, '2') as { data: { values: { x: number; scale: number; series: string }[] } }).data.values;
    // 5 points of class 2 (value 2/3 at seed 0) per scale and series.
    expect(values).toHaveLength(5 * SCALES.length * SERIES.length);
    expect(new Set(values.map((v) => v.x))).toEqual(new Set([Math.fround(2 / 3)]));
    const png = PNG.sync.read(Buffer.from(await sampleStripPng(runs, 2, '2')));
    expect(png.width).toBeGreaterThan(SCALES.length * 120);
    expect(png.height).toBeGreaterThan(SERIES.length * 120);
  });
});
