import { checkMatrix, type RowMatrix, type Rows } from './linalg';

/** Checks that every row is a probability vector (non-negative, summing to 1 within 1e-3). */
export function checkProbabilities(name: string, input: Rows): RowMatrix {
  const probs = checkMatrix(name, input);
  for (let i = 0; i < probs.rows; i++) {
    let sum = 0;
    for (let k = 0; k < probs.cols; k++) {
      const p = probs.data[i * probs.cols + k];
      if (p < 0) throw new Error(`${name}: row ${i} has a negative probability ${p}`);
      sum += p;
    }
    if (Math.abs(sum - 1) > 1e-3) throw new Error(`${name}: row ${i} sums to ${sum}, must sum to 1 (softmax outputs)`);
  }
  return probs;
}
