import * as tf from '@tensorflow/tfjs-core';
import type { EpsFn } from '../types';

/**
 * ε(x, t, y) and ε(x, t, other) from ONE forward pass on [x; x] with labels [y; other], so a rule
 * that combines two branches costs one network call per step. Returns new tensors.
 */
export async function pairEps(eps: EpsFn, x: tf.Tensor, t: tf.Tensor1D, y: tf.Tensor1D, other: tf.Tensor1D): Promise<[tf.Tensor, tf.Tensor]> {
  const [xx, tt, yy] = tf.tidy(() => [tf.concat([x, x]), tf.concat([t, t]), tf.concat([y, other])]);
  let both: tf.Tensor;
  try {
    both = await eps(xx, tt as tf.Tensor1D, yy as tf.Tensor1D);
  } finally {
    tf.dispose([xx, tt, yy]);
  }
  try {
    return tf.split(both, 2) as [tf.Tensor, tf.Tensor];
  } finally {
    both.dispose();
  }
}

/** ε(x, t, y) and ε(x, t, ∅) in one pass; ∅ is the null label K. */
export async function condUncond(eps: EpsFn, x: tf.Tensor, t: tf.Tensor1D, y: tf.Tensor1D, nullLabel: number): Promise<[tf.Tensor, tf.Tensor]> {
  const empty = tf.fill([x.shape[0]], nullLabel, 'int32') as tf.Tensor1D;
  return pairEps(eps, x, t, y, empty).finally(() => empty.dispose());
}

/** Checks the null label of a rule that asks the ε-net for ε(x, ∅). */
export function checkNullLabel(rule: string, nullLabel: number): void {
  if (!Number.isInteger(nullLabel) || nullLabel < 1) throw new Error(`${rule} nullLabel must be the class count K ≥ 1, got ${nullLabel}`);
}

