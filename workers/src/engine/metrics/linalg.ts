/**
 * The small float64 linear algebra the metrics need: a row-major sample matrix, mean and
 * covariance, and the square root / eigenvalues of symmetric PSD matrices (ml-matrix's symmetric
 * eigendecomposition — never a general complex sqrtm, whose failures are a known FID pitfall).
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/** Rows = samples, cols = features (or class probabilities); row-major. */
export interface RowMatrix {
  data: Float32Array | Float64Array;
  rows: number;
  cols: number;
}

/** Converts nested arrays (one inner array per sample) into a RowMatrix. */
export function fromArrays(x: number[][]): RowMatrix {
  const rows = x.length;
  const cols = rows ? x[0].length : 0;
  const data = new Float64Array(rows * cols);
  x.forEach((row, i) => {
    if (row.length !== cols) throw new Error(`fromArrays: row ${i} has ${row.length} values, expected ${cols} like row 0`);
    data.set(row, i * cols);
  });
  return { data, rows, cols };
}

/** What the public metric functions take: a RowMatrix, or plain arrays with one inner array per sample. */
export type Rows = RowMatrix | number[][];

/**
 * Converts plain arrays, then checks shape consistency, a minimum row count and finiteness;
 * `name` appears in every error.
 */
export function checkMatrix(name: string, input: Rows, minRows = 1): RowMatrix {
  const m = Array.isArray(input) ? fromArrays(input) : input;
  if (!Number.isInteger(m.rows) || !Number.isInteger(m.cols) || m.cols < 1) {
    throw new Error(`${name}: rows and cols must be whole numbers with cols ≥ 1, got ${m.rows}×${m.cols}`);
  }
  if (m.data.length !== m.rows * m.cols) {
    throw new Error(`${name}: data has ${m.data.length} values but rows×cols = ${m.rows}×${m.cols} = ${m.rows * m.cols}`);
  }
  if (m.rows < minRows) throw new Error(`${name}: needs at least ${minRows} rows, got ${m.rows}`);
  for (let i = 0; i < m.data.length; i++) {
    if (!Number.isFinite(m.data[i])) throw new Error(`${name}: value at row ${Math.floor(i / m.cols)}, col ${i % m.cols} is ${m.data[i]} (must be finite)`);
  }
  return m;
}

/** Column means and the unbiased (n − 1) covariance, as numpy's `np.cov(rowvar=False)`. */
export function meanAndCovariance(m: RowMatrix): { mu: Float64Array; sigma: Float64Array } {
  const { rows: n, cols: d, data } = m;
  const mu = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) mu[a] += data[i * d + a];
  for (let a = 0; a < d; a++) mu[a] /= n;
  const sigma = new Float64Array(d * d);
  const centred = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) centred[a] = data[i * d + a] - mu[a];
    for (let a = 0; a < d; a++) {
      const ca = centred[a];
      for (let b = a; b < d; b++) sigma[a * d + b] += ca * centred[b];
    }
  }
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      const v = sigma[a * d + b] / (n - 1);
      sigma[a * d + b] = v;
      sigma[b * d + a] = v;
    }
  }
  return { mu, sigma };
}

/** A d×d row-major array as an ml-matrix Matrix, symmetrised to remove rounding asymmetry. */
export function symmetricMatrix(values: Float64Array, d: number): Matrix {
  const m = new Matrix(d, d);
  for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) m.set(a, b, 0.5 * (values[a * d + b] + values[b * d + a]));
  return m;
}

/** Eigenvalues of a symmetric matrix, with rounding-level negatives clamped to 0 (it is PSD). */
export function psdEigenvalues(s: Matrix): number[] {
  const evd = new EigenvalueDecomposition(symmetrise(s), { assumeSymmetric: true });
  return evd.realEigenvalues.map((l) => Math.max(l, 0));
}

/** S^½ of a symmetric PSD matrix: V·diag(√λ)·Vᵀ. */
export function sqrtPsd(s: Matrix): Matrix {
  const evd = new EigenvalueDecomposition(symmetrise(s), { assumeSymmetric: true });
  const v = evd.eigenvectorMatrix;
  const root = evd.realEigenvalues.map((l) => Math.sqrt(Math.max(l, 0)));
  const scaled = v.clone();
  for (let a = 0; a < scaled.rows; a++) for (let b = 0; b < scaled.columns; b++) scaled.set(a, b, scaled.get(a, b) * root[b]);
  return scaled.mmul(v.transpose());
}

function symmetrise(s: Matrix): Matrix {
  return s.add(s.transpose()).mul(0.5);
}
