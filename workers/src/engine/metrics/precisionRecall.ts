/**
 * Improved precision and recall (Kynkäänniemi et al. 2019): each set's manifold is the union of
 * balls around its points with radius = distance to the point's k-th nearest neighbour in the same
 * set. Precision = fraction of generated points inside the real manifold; recall = fraction of real
 * points inside the generated manifold.
 */
import { checkMatrix, type RowMatrix, type Rows } from './linalg';

/**
 * `realRadii`: manifoldRadii(real, k), when the caller keeps it with a reference set that is
 * scored against many times (the k-NN pass over the real set is the costliest part).
 */
export function precisionRecall(realIn: Rows, genIn: Rows, k = 3, realRadii?: Float64Array): { precision: number; recall: number } {
  const real = checkMatrix('precisionRecall(real)', realIn, 2);
  const gen = checkMatrix('precisionRecall(gen)', genIn, 2);
  if (real.cols !== gen.cols) throw new Error(`precisionRecall: feature dimensions differ (${real.cols} vs ${gen.cols})`);
  const maxK = Math.min(real.rows, gen.rows) - 1;
  if (!Number.isInteger(k) || k < 1 || k > maxK) throw new Error(`precisionRecall: k must be a whole number from 1 to ${maxK} (smaller set size − 1), got ${k}`);
  if (realRadii && realRadii.length !== real.rows) throw new Error(`precisionRecall: realRadii has ${realRadii.length} entries for ${real.rows} real points`);
  const [genRadii] = kthNeighbourDistances(gen, [k]);
  return { precision: coverage(gen, real, realRadii ?? kthNeighbourDistances(real, [k])[0]), recall: coverage(real, gen, genRadii) };
}

/** Squared distance from each point to its k-th nearest other point of the set: its manifold's ball radii. */
export function manifoldRadii(points: Rows, k: number): Float64Array {
  return manifoldRadiiAt(points, [k])[0];
}

/** manifoldRadii at several k from one pass over the pairs (the pass is the cost; scoring wants k = 3 and 5). */
export function manifoldRadiiAt(points: Rows, ks: readonly number[]): Float64Array[] {
  const m = checkMatrix('manifoldRadii', points, 2);
  for (const k of ks) if (!Number.isInteger(k) || k < 1 || k > m.rows - 1) throw new Error(`manifoldRadii: k must be a whole number from 1 to ${m.rows - 1} (set size − 1), got ${k}`);
  return kthNeighbourDistances(m, ks);
}

export function squaredDistance(a: RowMatrix, i: number, b: RowMatrix, j: number): number {
  let sum = 0;
  for (let c = 0; c < a.cols; c++) {
    const diff = a.data[i * a.cols + c] - b.data[j * b.cols + c];
    sum += diff * diff;
  }
  return sum;
}

/** Squared distance from each point to its k-th nearest other point of the same set, for each k of `ks`. */
function kthNeighbourDistances(m: RowMatrix, ks: readonly number[]): Float64Array[] {
  const kMax = Math.max(...ks);
  const radii = ks.map(() => new Float64Array(m.rows));
  const nearest = new Float64Array(kMax); // ascending; the kMax smallest distances seen so far
  for (let i = 0; i < m.rows; i++) {
    nearest.fill(Infinity);
    for (let j = 0; j < m.rows; j++) {
      if (j === i) continue;
      const dist = squaredDistance(m, i, m, j);
      if (dist >= nearest[kMax - 1]) continue;
      let p = kMax - 1;
      while (p > 0 && nearest[p - 1] > dist) {
        nearest[p] = nearest[p - 1];
        p--;
      }
      nearest[p] = dist;
    }
    ks.forEach((k, a) => (radii[a][i] = nearest[k - 1]));
  }
  return radii;
}

/** Fraction of `points` within some manifold point's ball (radii squared, like the distances). */
function coverage(points: RowMatrix, manifold: RowMatrix, radii: Float64Array): number {
  let inside = 0;
  for (let i = 0; i < points.rows; i++) {
    for (let j = 0; j < manifold.rows; j++) {
      if (squaredDistance(points, i, manifold, j) <= radii[j]) {
        inside++;
        break;
      }
    }
  }
  return inside / points.rows;
}
