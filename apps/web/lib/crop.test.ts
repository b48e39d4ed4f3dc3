import { describe, expect, it } from 'vitest';
import { cellCrop } from './crop';

describe('cellCrop', () => {
  // 10 classes × 8 samples of 28 px with 1-px separators: a 233 × 291 PNG.
  const grid = { rows: 10, cols: 8, cellSize: 28 };

  it('scales the image and shifts it so the box shows exactly the cell’s source pixels', () => {
    // Class 3, sample 2 at 56 px (scale 2): the cell starts at PNG (1 + 2·29, 1 + 3·29) = (59, 88).
    expect(cellCrop(grid, 3, 2, 56)).toEqual({ size: 56, imageWidth: 466, imageHeight: 582, offsetX: -118, offsetY: -176 });
    // toy2d: one 160-px panel per class, one class per row (a 162 × 484 PNG for 3 classes), shown at 80 px.
    expect(cellCrop({ rows: 3, cols: 1, cellSize: 160 }, 2, 0, 80)).toEqual({ size: 80, imageWidth: 81, imageHeight: 242, offsetX: -0.5, offsetY: -161.5 });
  });

  it('keeps the last cell inside the image, one separator from its edge', () => {
    const c = cellCrop(grid, 9, 7, 20);
    const k = 20 / 28;
    expect(c.imageWidth + c.offsetX - c.size).toBeCloseTo(1 * k, 9);
    expect(c.imageHeight + c.offsetY - c.size).toBeCloseTo(1 * k, 9);
  });

  it('names the bad argument and its range', () => {
    expect(() => cellCrop(grid, 10, 0, 20)).toThrow('class must be a whole number from 0 to 9 (got 10)');
    expect(() => cellCrop(grid, 1, 8, 20)).toThrow('sample must be a whole number from 0 to 7 (got 8)');
    expect(() => cellCrop(grid, 1, 0, 0)).toThrow('cell must be a positive number');
  });
});
