import * as tf from '@tensorflow/tfjs-core';
import type { EpsFn } from '../types';

/**
 * The ε-net asked with one fixed label instead of the requested y — the null label K for an
 * unconditional model, which only ever saw ∅ in training. Without a label, `eps` is returned as is.
 */
export function withModelLabel(eps: EpsFn, modelLabel: number | undefined, rule: string): EpsFn {
  if (modelLabel === undefined) return eps;
  if (!Number.isInteger(modelLabel) || modelLabel < 0) {
    throw new Error(`${rule} modelLabel must be a label index ≥ 0 (the null label K for an unconditional model), got ${modelLabel}`);
  }
  return (x, t) => tf.tidy(() => eps(x, t, tf.fill([x.shape[0]], modelLabel, 'int32') as tf.Tensor1D));
}
