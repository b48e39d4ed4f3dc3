/**
 * A network's parameters as one float32 vector while it trains. Adam and the EMA are elementwise,
 * so on one vector they are a dozen kernels per step instead of a dozen per parameter tensor — on
 * the wasm backend each kernel call costs tens of microseconds, and a small net has ~30 tensors.
 * Checkpoints keep the per-tensor form; converting is a copy, so values round-trip bit for bit.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Params } from '../networks/index';

export interface Layout {
  names: string[];
  shapes: number[][];
  sizes: number[];
}

export function layoutOf(params: Params): Layout {
  const names = [...params.keys()];
  const shapes = names.map((n) => params.get(n)!.shape);
  return { names, shapes, sizes: shapes.map((s) => s.reduce((a, b) => a * b, 1)) };
}

/** The parameters concatenated in layout order (a new tensor, outside any tidy's reach). */
export function flatten(params: Params, layout: Layout): tf.Tensor1D {
  return tf.keep(tf.tidy(() => tf.concat(layout.names.map((n) => tf.reshape(params.get(n)!, [-1]))) as tf.Tensor1D));
}

/** Views of `flat` as named tensors; differentiable (tf.split's gradient is a concat). */
export function unflatten(flat: tf.Tensor, layout: Layout): Params {
  const parts = layout.sizes.length === 1 ? [flat] : tf.split(flat, layout.sizes);
  return new Map(layout.names.map((n, i) => [n, tf.reshape(parts[i], layout.shapes[i])]));
}
