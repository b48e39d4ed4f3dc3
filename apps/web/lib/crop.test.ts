import { describe, expect, it } from 'vitest';
import { classRowCrop } from './crop';

describe('classRowCrop', () => {
  const grid = { rows: 10, cols: 8, cellSize: 28 };

  it('scales the grid so a cell is `cell` px and shifts it up by `row` cells', () => {
    expect(classRowCrop(grid, 3, 56)).toEqual({ width: 448, height: 56, imageWidth: 448, imageHeight: 560, offsetY: -168 });
    expect(classRowCrop(grid, 0, 14, 4)).toEqual({ width: 56, height: 14, imageWidth: 112, imageHeight: 140, offsetY: 0 });
  });

  it('maps the box onto exactly the row’s source pixels', () => {
    for (const row of [0, 4, 9]) {
      const crop = classRowCrop(grid, row, 20);
      const scale = crop.imageWidth / (grid.cols * grid.cellSize); // CSS px per PNG px
      expect(-crop.offsetY / scale).toBeCloseTo(row * grid.cellSize, 9); // top edge of the row in the PNG
      expect((crop.height - crop.offsetY) / scale).toBeCloseTo((row + 1) * grid.cellSize, 9); // bottom edge
    }
    const last = classRowCrop(grid, 9, 20);
    expect(last.height - last.offsetY).toBe(last.imageHeight); // the last row sits flush with the image's bottom
  });

  it('names the bad argument and its range', () => {
    expect(() => classRowCrop(grid, 10, 20)).toThrow('row must be a whole number from 0 to 9 (got 10)');
    expect(() => classRowCrop(grid, 1, 20, 9)).toThrow('samples must be a whole number from 1 to 8');
    expect(() => classRowCrop(grid, 1, 0)).toThrow('cell must be a positive number');
  });
});
