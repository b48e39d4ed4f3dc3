/**
 * 2-D samples → one PNG: a square panel per class, one class per row, each drawing that class's samples
 * (2×2 dots in the class colour) over all the real data drawn faintly, on a shared extent. The
 * default extent comes from the real data alone, so every run of a dataset shares its axes (a
 * sample grid at s = 10 is drawn on the same axes as at s = 0, issue 12); samples beyond it are
 * pinned to the panel's edge rather than dropped.
 */
import { Canvas, type Rgb } from './canvas';

/** Tableau-10 colours, one per class (classes beyond 10 reuse them). */
const PALETTE: Rgb[] = [
  [31, 119, 180], [255, 127, 14], [44, 160, 44], [214, 39, 40], [148, 103, 189],
  [140, 86, 75], [227, 119, 194], [127, 127, 127], [188, 189, 34], [23, 190, 207],
];
const WHITE: Rgb = [255, 255, 255];
const SEPARATOR: Rgb = [128, 128, 128];
const FAINT: Rgb = [170, 170, 170];

export interface ScatterOptions {
  /** Real data drawn faintly behind every panel (x, y pairs). */
  reference?: Float32Array;
  /** Square data window [min, max] on both axes; default ±(largest |real coordinate| · 1.5), or of the samples without real data. */
  extent?: [number, number];
  /** Panel side in pixels (default 160). */
  panelSize?: number;
}

export function scatterGrid(points: Float32Array, labels: Int32Array, classes: number, options: ScatterOptions = {}): Uint8Array {
  const { reference = new Float32Array(0), panelSize = 160 } = options;
  if (points.length !== 2 * labels.length) throw new Error(`scatterGrid: ${points.length / 2} points but ${labels.length} labels`);
  if (reference.length % 2 !== 0) throw new Error(`scatterGrid: reference must hold (x, y) pairs, got ${reference.length} values`);
  if (!Number.isInteger(classes) || classes < 1) throw new Error(`scatterGrid: classes must be a whole number ≥ 1, got ${classes}`);
  if (!Number.isInteger(panelSize) || panelSize < 16 || panelSize > 1024) throw new Error(`scatterGrid: panelSize must be a whole number from 16 to 1024, got ${panelSize}`);
  labels.forEach((l, i) => {
    if (!Number.isInteger(l) || l < 0 || l >= classes) throw new Error(`scatterGrid: label ${l} at index ${i} must be from 0 to ${classes - 1}`);
  });
  const [lo, hi] = options.extent ?? defaultExtent(points, reference);
  if (!(hi > lo)) throw new Error(`scatterGrid: extent must be [min, max] with max > min, got [${lo}, ${hi}]`);

  // One panel per class, stacked so that rows = classes like the image grids.
  const canvas = new Canvas(panelSize + 2, classes * (panelSize + 1) + 1, SEPARATOR);
  // Data y grows upwards, pixel rows downwards.
  const toPixel = (v: number, flip: boolean) => {
    const p = Math.floor(((v - lo) / (hi - lo)) * panelSize);
    return flip ? panelSize - 1 - p : p;
  };
  const edge = (p: number) => Math.min(panelSize - 2, Math.max(0, p));
  const dot = (panel: number, x: number, y: number, color: Rgb, alpha: number, pin = false) => {
    const px = pin ? edge(toPixel(x, false)) : toPixel(x, false);
    const py = pin ? edge(toPixel(y, true)) : toPixel(y, true);
    const top = 1 + panel * (panelSize + 1);
    for (let dy = 0; dy < 2; dy++) {
      for (let dx = 0; dx < 2; dx++) {
        const i = px + dx;
        const j = py + dy;
        if (i >= 0 && i < panelSize && j >= 0 && j < panelSize) canvas.blend(1 + i, top + j, color, alpha);
      }
    }
  };
  for (let c = 0; c < classes; c++) {
    canvas.fillRect(1, 1 + c * (panelSize + 1), panelSize, panelSize, WHITE);
    for (let i = 0; i < reference.length; i += 2) dot(c, reference[i], reference[i + 1], FAINT, 0.25);
  }
  labels.forEach((l, i) => dot(l, points[2 * i], points[2 * i + 1], PALETTE[l % PALETTE.length], 1, true));
  return canvas.toPng();
}

function defaultExtent(points: Float32Array, reference: Float32Array): [number, number] {
  const basis = reference.length > 0 ? reference : points;
  let m = 0;
  for (const v of basis) if (Number.isFinite(v)) m = Math.max(m, Math.abs(v));
  const half = m > 0 ? m * (reference.length > 0 ? 1.5 : 1.05) : 1;
  return [-half, half];
}
