/**
 * Inception Score (Salimans et al. 2016), DESIGN.md §2: IS = exp(E_x KL(p(y|x) ‖ p(y))) with p(y)
 * the mean of p(y|x) over the split; computed on `splits` consecutive equal parts and reported as
 * mean ± (population) std over the splits, as the original improved-gan code does.
 */
import type { Rows } from './linalg';
import { checkProbabilities } from './probabilities';

export function inceptionScore(input: Rows, splits = 10): { mean: number; std: number } {
  const probs = checkProbabilities('inceptionScore(probs)', input);
  if (!Number.isInteger(splits) || splits < 1 || splits > probs.rows) {
    throw new Error(`inceptionScore: splits must be a whole number from 1 to the number of samples (${probs.rows}), got ${splits}`);
  }
  const k = probs.cols;
  const scores: number[] = [];
  for (let s = 0; s < splits; s++) {
    const start = Math.floor((s * probs.rows) / splits);
    const end = Math.floor(((s + 1) * probs.rows) / splits);
    const marginal = new Float64Array(k);
    for (let i = start; i < end; i++) for (let c = 0; c < k; c++) marginal[c] += probs.data[i * k + c];
    for (let c = 0; c < k; c++) marginal[c] /= end - start;
    let kl = 0;
    for (let i = start; i < end; i++) {
      for (let c = 0; c < k; c++) {
        const p = probs.data[i * k + c];
        if (p > 0) kl += p * Math.log(p / marginal[c]); // 0·log 0 = 0
      }
    }
    scores.push(Math.exp(kl / (end - start)));
  }
  const mean = scores.reduce((a, b) => a + b, 0) / splits;
  const std = Math.sqrt(scores.reduce((a, b) => a + (b - mean) ** 2, 0) / splits);
  return { mean, std };
}
