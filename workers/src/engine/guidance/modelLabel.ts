import * as tf from '@tensorflow/tfjs-core';
import type { EpsFn } from '../types';

/**
 * The ε-net asked with one fixed label instead of the requested y — the null label K for an
 * unconditional model, which only ever saw ∅ in training — or with y when no label is given.
 */
export function withModelLabel(eps: EpsFn, modelLabel: number | undefined, rule: string): (x: tf.Tensor, t: tf.Tensor1D, y: tf.Tensor1D) => Promise<tf.Tensor> {
  if (modelLabel === undefined) return async (x, t, y) => eps(x, t, y);
  if (!Number.isInteger(modelLabel) || modelLabel < 0) {
    throw new Error(`${rule} modelLabel must be a label index ≥ 0 (the null label K for an unconditional model), got ${modelLabel}`);
  }
  return async (x, t) => {
    const label = tf.fill([x.shape[0]], modelLabel, 'int32') as tf.Tensor1D;
    try {
      return await eps(x, t, label);
    } finally {
      label.dispose();
    }
  };
}
