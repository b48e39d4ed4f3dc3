/** Class adherence: the fraction of samples the evaluator classifies as the class they were asked for. */
import type { Rows } from './linalg';
import { checkProbabilities } from './probabilities';

export function adherence(input: Rows, requestedLabels: ArrayLike<number>): number {
  const probs = checkProbabilities('adherence(probs)', input);
  if (requestedLabels.length !== probs.rows) {
    throw new Error(`adherence: ${requestedLabels.length} requested labels for ${probs.rows} rows of probabilities`);
  }
  let hits = 0;
  for (let i = 0; i < probs.rows; i++) {
    const want = requestedLabels[i];
    if (!Number.isInteger(want) || want < 0 || want >= probs.cols) {
      throw new Error(`adherence: requested label ${want} at index ${i} must be a class index from 0 to ${probs.cols - 1}`);
    }
    let best = 0;
    for (let c = 1; c < probs.cols; c++) if (probs.data[i * probs.cols + c] > probs.data[i * probs.cols + best]) best = c;
    if (best === want) hits++;
  }
  return hits / probs.rows;
}
