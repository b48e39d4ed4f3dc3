/**
 * Fréchet distance between Gaussians fitted to feature sets (Heusel et al. 2017), DESIGN.md §2:
 *   FID = ‖μ_r − μ_g‖² + Tr(Σ_r + Σ_g − 2(Σ_r^½ Σ_g Σ_r^½)^½).
 * Σ_r^½ Σ_g Σ_r^½ is symmetric PSD and similar to Σ_r Σ_g, so Tr((Σ_r Σ_g)^½) is the sum of the
 * square roots of its real eigenvalues — no complex sqrtm (torch-fidelity computes it the same way).
 */
import { checkMatrix, meanAndCovariance, psdEigenvalues, type Rows, sqrtPsd, symmetricMatrix } from './linalg';

/** A Gaussian fitted to n feature vectors: mean and d×d row-major covariance, float64. */
export interface GaussianStats {
  mu: Float64Array;
  sigma: Float64Array;
  n: number;
}

/** Fits the Gaussian once, so a reference set's statistics can be stored and reused. */
export function gaussianStats(input: Rows): GaussianStats {
  const features = checkMatrix('gaussianStats(features)', input, 2);
  return { ...meanAndCovariance(features), n: features.rows };
}

export function frechetFromStats(a: GaussianStats, b: GaussianStats): number {
  const d = a.mu.length;
  if (b.mu.length !== d) throw new Error(`frechetFromStats: feature dimensions differ (${d} vs ${b.mu.length})`);
  for (const [name, s] of [['a', a], ['b', b]] as const) {
    if (s.sigma.length !== d * d) throw new Error(`frechetFromStats: ${name}.sigma has ${s.sigma.length} values, expected ${d}×${d}`);
  }
  let meanTerm = 0;
  for (let i = 0; i < d; i++) meanTerm += (a.mu[i] - b.mu[i]) ** 2;
  const sa = symmetricMatrix(a.sigma, d);
  const sb = symmetricMatrix(b.sigma, d);
  const rootA = sqrtPsd(sa);
  const traceSqrt = psdEigenvalues(rootA.mmul(sb).mmul(rootA)).reduce((acc, l) => acc + Math.sqrt(l), 0);
  return meanTerm + sa.trace() + sb.trace() - 2 * traceSqrt;
}

export function frechetDistance(real: Rows, gen: Rows): number {
  return frechetFromStats(gaussianStats(real), gaussianStats(gen));
}
