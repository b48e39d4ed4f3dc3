/**
 * Cropping one class row out of a run's sample grid on the client. A grid PNG has rows = classes
 * and cols = samples per class, each cell `cellSize` pixels square. Scaling the image so a cell is
 * `cell` CSS pixels and shifting it up by `row` cells inside a box one cell high (overflow hidden)
 * shows exactly that row.
 */
export interface GridMeta {
  rows: number;
  cols: number;
  cellSize: number;
}

export interface RowCrop {
  /** The visible box. */
  width: number;
  height: number;
  /** The whole image, scaled, and how far it is shifted up inside the box. */
  imageWidth: number;
  imageHeight: number;
  offsetY: number;
}

function checkWhole(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be a whole number from ${min} to ${max} (got ${value})`);
  }
}

/** Class `row`'s first `samples` cells at `cell` CSS pixels each (the image scales by cell / cellSize). */
export function classRowCrop(grid: GridMeta, row: number, cell: number, samples = grid.cols): RowCrop {
  checkWhole('grid.rows', grid.rows, 1, Number.MAX_SAFE_INTEGER);
  checkWhole('grid.cols', grid.cols, 1, Number.MAX_SAFE_INTEGER);
  checkWhole('grid.cellSize', grid.cellSize, 1, Number.MAX_SAFE_INTEGER);
  checkWhole('row', row, 0, grid.rows - 1);
  checkWhole('samples', samples, 1, grid.cols);
  if (!(cell > 0)) throw new RangeError(`cell must be a positive number of pixels (got ${cell})`);
  return { width: samples * cell, height: cell, imageWidth: grid.cols * cell, imageHeight: grid.rows * cell, offsetY: row === 0 ? 0 : -row * cell };
}
