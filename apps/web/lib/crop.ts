/**
 * Cropping one sample cell out of a run's sample grid on the client. A grid PNG has rows =
 * classes and cols = samples per class; the engine draws cells of `cellSize` pixels with 1-px
 * separators around every cell (workers/src/engine/render), so the cell pitch is cellSize + 1 and
 * the first cell starts at pixel 1. Scaling the whole image so a cell is `cell` CSS pixels and
 * shifting it inside a box one cell square (overflow hidden) shows exactly that cell.
 */
export interface GridMeta {
  rows: number;
  cols: number;
  cellSize: number;
}

/** Separator width around every cell, in PNG pixels. */
const SEPARATOR = 1;

export interface CellCrop {
  /** The visible square box, CSS px. */
  size: number;
  /** The whole image scaled, and its offset inside the box (≤ 0). */
  imageWidth: number;
  imageHeight: number;
  offsetX: number;
  offsetY: number;
}

function checkWhole(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be a whole number from ${min} to ${max} (got ${value})`);
  }
}

/** PNG pixels spanned by n cells: n pitches plus the closing separator. */
const span = (grid: GridMeta, n: number) => n * (grid.cellSize + SEPARATOR) + SEPARATOR;

/** Sample `sample` of class `cls` (row cls, column sample), shown `cell` CSS pixels square. */
export function cellCrop(grid: GridMeta, cls: number, sample: number, cell: number): CellCrop {
  checkWhole('grid.rows', grid.rows, 1, Number.MAX_SAFE_INTEGER);
  checkWhole('grid.cols', grid.cols, 1, Number.MAX_SAFE_INTEGER);
  checkWhole('grid.cellSize', grid.cellSize, 1, Number.MAX_SAFE_INTEGER);
  checkWhole('class', cls, 0, grid.rows - 1);
  checkWhole('sample', sample, 0, grid.cols - 1);
  if (!(cell > 0)) throw new RangeError(`cell must be a positive number of pixels (got ${cell})`);
  const k = cell / grid.cellSize; // CSS px per PNG px
  const pitch = grid.cellSize + SEPARATOR;
  return {
    size: cell,
    imageWidth: span(grid, grid.cols) * k,
    imageHeight: span(grid, grid.rows) * k,
    offsetX: -(SEPARATOR + sample * pitch) * k,
    offsetY: -(SEPARATOR + cls * pitch) * k,
  };
}
