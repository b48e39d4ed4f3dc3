/** Building blocks shared by the ε-nets and the classifiers, made of the primitives in layers.ts. */
import * as tf from '@tensorflow/tfjs-core';
import { conv, dense, embedding, groupNorm, silu, timeEmbedding } from './layers';
import type { ParamSource } from './params';

/**
 * The conditioning vector: an MLP of the sinusoidal timestep embedding, plus (when labels are given)
 * a learned class embedding with `classes + 1` rows — the last row is the null label ∅ (Ho & Salimans Alg. 1).
 */
export function conditioning(p: ParamSource, t: tf.Tensor1D | null, y: tf.Tensor1D | null, classes: number, dim: number): tf.Tensor2D | null {
  const parts: tf.Tensor2D[] = [];
  if (t) parts.push(dense(p, 'time.1', silu(dense(p, 'time.0', timeEmbedding(t, dim), dim)), dim) as tf.Tensor2D);
  if (y) parts.push(embedding(p, 'class', y, classes + 1, dim));
  if (parts.length === 0) return null;
  return parts.length === 1 ? parts[0] : (tf.add(parts[0], parts[1]) as tf.Tensor2D);
}

/** Residual MLP block: h + W₂·SiLU(W₁·SiLU(h) + W_e·emb). The last layer starts at zero (identity block). */
export function denseResBlock(p: ParamSource, name: string, h: tf.Tensor2D, emb: tf.Tensor2D | null): tf.Tensor2D {
  const width = h.shape[1];
  let r = dense(p, `${name}.fc1`, silu(h), width);
  if (emb) r = tf.add(r, dense(p, `${name}.emb`, silu(emb), width));
  return tf.add(h, dense(p, `${name}.fc2`, silu(r), width, true)) as tf.Tensor2D;
}

/**
 * Residual conv block (ADM with scale-shift norm, Dhariwal & Nichol §3): GroupNorm → SiLU → conv3×3, then
 * GroupNorm(h)·(1 + scale) + shift with (scale, shift) projected from the conditioning — applied after the
 * norm so that it survives it even when each group is one channel — → SiLU → conv3×3 (zero-initialised),
 * plus a 1×1 projection of the input when widths differ.
 */
export function convResBlock(p: ParamSource, name: string, h: tf.Tensor4D, emb: tf.Tensor2D | null, out: number): tf.Tensor4D {
  const r = conv(p, `${name}.conv1`, silu(groupNorm(p, `${name}.norm1`, h)), out);
  let normed = groupNorm(p, `${name}.norm2`, r);
  if (emb) {
    const [scale, shift] = tf.split(tf.reshape(dense(p, `${name}.emb`, silu(emb), 2 * out), [-1, 1, 1, 2 * out]), 2, 3);
    normed = tf.add(tf.mul(normed, tf.add(scale, 1)), shift);
  }
  const residual = conv(p, `${name}.conv2`, silu(normed), out, { zeroInit: true });
  const skip = h.shape[3] === out ? h : conv(p, `${name}.skip`, h, out, { k: 1 });
  return tf.add(skip, residual);
}
