/** The ε-net for low-dimensional data (toy2d): a residual MLP conditioned on time and class. */
import type * as tf from '@tensorflow/tfjs-core';
import { conditioning, denseResBlock } from './blocks';
import { dense, silu } from './layers';
import type { ParamSource } from './params';

export interface MlpEpsConfig {
  kind: 'mlp-eps';
  /** Per-sample shape, [dim]. */
  inputShape: number[];
  /** K; label K is the null class. */
  classes: number;
  /** spec.model.hidden */
  hidden: number;
  /** spec.model.depth: residual blocks. */
  depth: number;
}

/** ε_θ(x_t, t, c) for x of shape [N, dim]. */
export function applyMlpEps(p: ParamSource, cfg: MlpEpsConfig, x: tf.Tensor, t: tf.Tensor1D, y: tf.Tensor1D): tf.Tensor {
  const emb = conditioning(p, t, y, cfg.classes, cfg.hidden);
  let h = dense(p, 'in', x, cfg.hidden) as tf.Tensor2D;
  for (let i = 0; i < cfg.depth; i++) h = denseResBlock(p, `block${i}`, h, emb);
  return dense(p, 'out', silu(h), cfg.inputShape[0], true);
}
