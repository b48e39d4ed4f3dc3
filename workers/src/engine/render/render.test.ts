import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { imageGrid } from './imageGrid';
import { scatterGrid } from './scatterGrid';

const decode = (bytes: Uint8Array) => PNG.sync.read(Buffer.from(bytes));
const pixel = (png: PNG, x: number, y: number) => Array.from(png.data.subarray(4 * (y * png.width + x), 4 * (y * png.width + x) + 3));

describe('imageGrid', () => {
  it('lays out rows × cols images with 1-px separators, [−1, 1] → [0, 255], upscaled', () => {
    // 2 rows × 3 cols of 2×2 grey images; image k is uniformly −1 + k·0.3 (k = 0..5), pixel (1,1) of image 5 is 1.
    const samples = new Float32Array(6 * 4).map((_, i) => -1 + Math.floor(i / 4) * 0.3);
    samples[5 * 4 + 3] = 1;
    const png = decode(imageGrid(samples, [2, 2, 1], 2, 3, { scale: 2 }));
    expect([png.width, png.height]).toEqual([3 * 5 + 1, 2 * 5 + 1]);
    expect(pixel(png, 0, 0)).toEqual([128, 128, 128]); // separator
    expect(pixel(png, 1, 1)).toEqual([0, 0, 0]); // image 0 = −1
    expect(pixel(png, 6, 1)).toEqual([38, 38, 38]); // image 1 = −0.7 → round(0.3·127.5)
    expect(pixel(png, 5, 1)).toEqual([128, 128, 128]); // separator between columns
    const [x5, y5] = [1 + 2 * 5, 1 + 5]; // image 5: row 1, col 2
    expect(pixel(png, x5, y5)).toEqual([191, 191, 191]); // 0.5 → round(1.5·127.5)
    expect(pixel(png, x5 + 3, y5 + 3)).toEqual([255, 255, 255]); // pixel (1,1) upscaled to 2×2
    expect(pixel(png, x5 + 2, y5 + 2)).toEqual([255, 255, 255]);
  });

  it('renders RGB samples and rejects mismatched sizes', () => {
    const png = decode(imageGrid(Float32Array.from([1, -1, -1]), [1, 1, 3], 1, 1));
    expect(pixel(png, 1, 1)).toEqual([255, 0, 0]);
    expect(() => imageGrid(new Float32Array(5), [2, 2, 1], 1, 1)).toThrow(/5 values do not make 1×1 images of shape \[2, 2, 1\] \(4 values\)/);
  });
});

describe('scatterGrid', () => {
  it('draws each class in its own panel over the faint reference, deterministically', () => {
    // Class 0 at (−0.5, 0.5), class 1 at (0.5, −0.5); extent [−1, 1] on a 100-px panel.
    const points = Float32Array.from([-0.5, 0.5, 0.5, -0.5]);
    const labels = Int32Array.from([0, 1]);
    const reference = Float32Array.from([0, 0]);
    const bytes = scatterGrid(points, labels, 2, { reference, extent: [-1, 1], panelSize: 100 });
    const png = decode(bytes);
    expect([png.width, png.height]).toEqual([102, 2 * 101 + 1]); // one class per row
    // (−0.5, 0.5) → column 25, row 100 − 1 − 75 = 24 in panel 0 (offset 1, 1).
    expect(pixel(png, 1 + 25, 1 + 24)).toEqual([31, 119, 180]);
    expect(pixel(png, 1 + 25, 1 + 74)).toEqual([255, 255, 255]); // class 1's point is not in panel 0
    expect(pixel(png, 1 + 75, 102 + 74)).toEqual([255, 127, 14]);
    // The reference point at (0, 0) is faint grey in both panels.
    const faint = Math.round(255 * 0.75 + 170 * 0.25);
    expect(pixel(png, 1 + 50, 1 + 49)).toEqual([faint, faint, faint]);
    expect(pixel(png, 1 + 50, 102 + 49)).toEqual([faint, faint, faint]);
    expect(Buffer.from(scatterGrid(points, labels, 2, { reference, extent: [-1, 1], panelSize: 100 })).equals(Buffer.from(bytes))).toBe(true);
  });

  it('shares its axes across runs: the extent comes from the real data, and far samples are pinned to the edge', () => {
    // Real data within ±1 → extent ±1.5 whatever the samples; (0.75, 0) lands at column 75 of 100.
    const reference = Float32Array.from([1, 0, -1, 0]);
    const near = decode(scatterGrid(Float32Array.from([0.75, 0]), Int32Array.from([0]), 1, { reference, panelSize: 100 }));
    const withOutlier = decode(scatterGrid(Float32Array.from([0.75, 0, 40, 0]), Int32Array.from([0, 0]), 1, { reference, panelSize: 100 }));
    expect(pixel(near, 1 + 75, 1 + 49)).toEqual([31, 119, 180]);
    // An outlier at x = 40 (a high guidance scale) does not rescale the panel: the same point sits at the same pixel…
    expect(pixel(withOutlier, 1 + 75, 1 + 49)).toEqual([31, 119, 180]);
    // …and the outlier itself is pinned to the right edge.
    expect(pixel(withOutlier, 1 + 98, 1 + 49)).toEqual([31, 119, 180]);
    expect(pixel(near, 1 + 98, 1 + 49)).toEqual([255, 255, 255]);
  });

  it('names the problem in bad input', () => {
    expect(() => scatterGrid(Float32Array.from([0, 0]), Int32Array.from([2]), 2)).toThrow(/label 2 at index 0 must be from 0 to 1/);
    expect(() => scatterGrid(Float32Array.from([0, 0, 1]), Int32Array.from([0]), 2)).toThrow(/1.5 points but 1 labels/);
  });
});
