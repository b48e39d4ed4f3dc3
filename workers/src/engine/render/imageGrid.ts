/**
 * Image samples → one PNG grid: rows = classes, cols = samples per class (sample r·cols + c at row
 * r, column c), values [−1, 1] → [0, 255], 1-px separators around every cell, optional integer upscaling.
 */
import { Canvas, type Rgb } from './canvas';

const SEPARATOR: Rgb = [128, 128, 128];

export function imageGrid(samples: Float32Array, shape: [number, number, number], rows: number, cols: number, options: { scale?: number } = {}): Uint8Array {
  const [h, w, channels] = shape;
  const scale = options.scale ?? 1;
  if (channels !== 1 && channels !== 3) throw new Error(`imageGrid: shape channels must be 1 (grey) or 3 (RGB), got ${channels}`);
  if (!Number.isInteger(scale) || scale < 1 || scale > 16) throw new Error(`imageGrid: scale must be a whole number from 1 to 16, got ${scale}`);
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1) throw new Error(`imageGrid: rows and cols must be whole numbers ≥ 1, got ${rows}×${cols}`);
  const per = h * w * channels;
  if (samples.length !== rows * cols * per) {
    throw new Error(`imageGrid: ${samples.length} values do not make ${rows}×${cols} images of shape [${shape.join(', ')}] (${rows * cols * per} values)`);
  }
  const cell = (n: number) => n * scale + 1;
  const canvas = new Canvas(cols * cell(w) + 1, rows * cell(h) + 1, SEPARATOR);
  const byte = (v: number) => Math.round((Math.min(1, Math.max(-1, v)) + 1) * 127.5);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const base = (r * cols + c) * per;
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const o = base + (y * w + x) * channels;
          const color: Rgb = channels === 1 ? [byte(samples[o]), byte(samples[o]), byte(samples[o])] : [byte(samples[o]), byte(samples[o + 1]), byte(samples[o + 2])];
          canvas.fillRect(1 + c * cell(w) + x * scale, 1 + r * cell(h) + y * scale, scale, scale, color);
        }
      }
    }
  }
  return canvas.toPng();
}
