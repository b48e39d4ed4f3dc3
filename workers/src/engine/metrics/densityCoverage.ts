/**
 * Density and coverage (Naeem et al. 2020), built on the real set's k-NN balls of
 * precisionRecall.ts. Density = (1 / kM) Σ_j #{real balls holding generated point j}: ≈ 1 when the
 * samples are distributed like the real data, above 1 when they crowd its dense regions.
 * Coverage = fraction of real balls holding at least one generated point. Unlike recall, neither
 * trusts the generated set's own neighbourhoods, so a few outliers cannot inflate them.
 */
import { checkMatrix, type Rows } from './linalg';
import { manifoldRadii, squaredDistance } from './precisionRecall';

/** `realRadii`: manifoldRadii(real, k), when the caller keeps it with a reference set. */
export function densityCoverage(realIn: Rows, genIn: Rows, k = 5, realRadii?: Float64Array): { density: number; coverage: number } {
  const real = checkMatrix('densityCoverage(real)', realIn, 2);
  const gen = checkMatrix('densityCoverage(gen)', genIn, 1);
  if (real.cols !== gen.cols) throw new Error(`densityCoverage: feature dimensions differ (${real.cols} vs ${gen.cols})`);
  if (realRadii && realRadii.length !== real.rows) throw new Error(`densityCoverage: realRadii has ${realRadii.length} entries for ${real.rows} real points`);
  const radii = realRadii ?? manifoldRadii(real, k);
  let inBalls = 0;
  const covered = new Uint8Array(real.rows);
  for (let j = 0; j < gen.rows; j++) {
    for (let i = 0; i < real.rows; i++) {
      if (squaredDistance(gen, j, real, i) <= radii[i]) {
        inBalls++;
        covered[i] = 1;
      }
    }
  }
  return { density: inBalls / (k * gen.rows), coverage: covered.reduce((a, b) => a + b, 0) / real.rows };
}
