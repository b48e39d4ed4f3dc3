/**
 * Kernel Inception Distance (Bińkowski et al. 2018), DESIGN.md §2: the unbiased MMD² estimate with
 * the cubic polynomial kernel k(x, y) = (xᵀy/d + 1)³, averaged over random subsets of size m:
 *   MMD²_u = [Σ_{i≠j} k(x_i,x_j) + Σ_{i≠j} k(y_i,y_j)] / (m(m−1)) − 2 Σ_{i,j} k(x_i,y_j) / m²
 * (as clean-fid's `kernel_distance` and torch-fidelity). Unbiased, so it can dip below 0.
 */
import { mulberry32, sampleIndices } from '../random';
import { checkMatrix, type RowMatrix, type Rows } from './linalg';

export interface KidOptions {
  /** Number of random subsets (default 100). */
  subsets?: number;
  /** Samples per subset drawn without replacement from each set (default min(N_real, N_gen, 1000)). */
  subsetSize?: number;
  seed?: number;
  /** polynomialKernel(real, real), kept with a reference set that is scored against many times. */
  realKernel?: Float64Array;
}

export function kernelInceptionDistance(realIn: Rows, genIn: Rows, options: KidOptions = {}): { mean: number; std: number } {
  const real = checkMatrix('kernelInceptionDistance(real)', realIn, 2);
  const gen = checkMatrix('kernelInceptionDistance(gen)', genIn, 2);
  if (real.cols !== gen.cols) throw new Error(`kernelInceptionDistance: feature dimensions differ (${real.cols} vs ${gen.cols})`);
  const maxSize = Math.min(real.rows, gen.rows);
  const { subsets = 100, subsetSize = Math.min(maxSize, 1000), seed = 0 } = options;
  if (!Number.isInteger(subsets) || subsets < 1) throw new Error(`kernelInceptionDistance: subsets must be a whole number ≥ 1, got ${subsets}`);
  if (!Number.isInteger(subsetSize) || subsetSize < 2 || subsetSize > maxSize) {
    throw new Error(`kernelInceptionDistance: subsetSize must be a whole number from 2 to ${maxSize} (the smaller set), got ${subsetSize}`);
  }
  const rand = mulberry32(seed);
  // Kernel matrices of the whole sets are computed once and shared by every subset when they fit
  // in memory (N_real + N_gen ≤ 8000: ≤ 512 MB) and cost less than per-subset matrices — at the
  // usual N ≈ m that is ~100× faster.
  const n = real.rows + gen.rows;
  const { realKernel } = options;
  if (realKernel && realKernel.length !== real.rows * real.rows) throw new Error(`kernelInceptionDistance: realKernel must be the ${real.rows}×${real.rows} kernel of the real set`);
  // A cached real kernel makes the whole-set matrices cheaper still, but not smaller.
  const whole = n <= 8000 && (realKernel !== undefined || n * n <= subsets * (2 * subsetSize) ** 2);
  const cached = whole ? { xx: realKernel ?? kernelMatrix(real, real), yy: kernelMatrix(gen, gen), xy: kernelMatrix(real, gen) } : null;
  // When m equals both set sizes every subset is the whole of both sets: one evaluation serves all.
  const draws = subsetSize === real.rows && subsetSize === gen.rows ? 1 : subsets;
  const values: number[] = [];
  for (let s = 0; s < draws; s++) {
    // The sums do not depend on order; ascending indices read the cached matrices row by row.
    const ix = sampleIndices(real.rows, subsetSize, rand).sort();
    const iy = sampleIndices(gen.rows, subsetSize, rand).sort();
    if (cached) {
      values.push(mmdUnbiased(cached, real.rows, gen.rows, ix, iy));
    } else {
      const x = gather(real, ix);
      const y = gather(gen, iy);
      const all = Int32Array.from({ length: subsetSize }, (_, i) => i);
      values.push(mmdUnbiased({ xx: kernelMatrix(x, x), yy: kernelMatrix(y, y), xy: kernelMatrix(x, y) }, subsetSize, subsetSize, all, all));
    }
  }
  const mean = values.reduce((a, b) => a + b, 0) / draws;
  const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / draws);
  return { mean, std };
}

/** The kernel k(x_i, x_j) of a set with itself, row-major (to pass as `realKernel`). */
export function polynomialKernel(points: Rows): Float64Array {
  const m = checkMatrix('polynomialKernel', points, 2);
  return kernelMatrix(m, m);
}

function gather(m: RowMatrix, indices: Int32Array): RowMatrix {
  const data = new Float64Array(indices.length * m.cols);
  indices.forEach((row, i) => data.set(m.data.subarray(row * m.cols, (row + 1) * m.cols), i * m.cols));
  return { data, rows: indices.length, cols: m.cols };
}

/** k(a_i, b_j) = (a_iᵀb_j/d + 1)³ for all i, j, row-major; computed once per pair when a is b. */
function kernelMatrix(a: RowMatrix, b: RowMatrix): Float64Array {
  const d = a.cols;
  const [ad, bd] = [a.data, b.data];
  const out = new Float64Array(a.rows * b.rows);
  const symmetric = a === b;
  for (let i = 0; i < a.rows; i++) {
    const ai = i * d;
    for (let j = symmetric ? i : 0; j < b.rows; j++) {
      const bj = j * d;
      let dot = 0;
      for (let c = 0; c < d; c++) dot += ad[ai + c] * bd[bj + c];
      const base = dot / d + 1;
      out[i * b.rows + j] = base * base * base;
      if (symmetric) out[j * b.rows + i] = out[i * b.rows + j];
    }
  }
  return out;
}

/** The unbiased MMD² of the subsets ix ⊂ real, iy ⊂ gen, read from kernel matrices of the sets. */
function mmdUnbiased(k: { xx: Float64Array; yy: Float64Array; xy: Float64Array }, nx: number, ny: number, ix: Int32Array, iy: Int32Array): number {
  const m = ix.length;
  const offDiagonal = (kk: Float64Array, n: number, idx: Int32Array) => {
    let sum = 0;
    for (let i = 0; i < m; i++) {
      const row = idx[i] * n;
      for (let j = 0; j < m; j++) sum += kk[row + idx[j]];
      sum -= kk[row + idx[i]]; // drop the diagonal term i = j
    }
    return sum;
  };
  let cross = 0;
  for (let i = 0; i < m; i++) {
    const row = ix[i] * ny;
    for (let j = 0; j < m; j++) cross += k.xy[row + iy[j]];
  }
  return (offDiagonal(k.xx, nx, ix) + offDiagonal(k.yy, ny, iy)) / (m * (m - 1)) - (2 * cross) / (m * m);
}
