/**
 * Classifiers: the noise-aware guidance classifier f_φ(y | x_t, t) (time-conditioned; Dhariwal & Nichol
 * §4.1) and the clean evaluator (no time input). A residual MLP for vectors, a strided conv trunk for images;
 * both end in a ≥ 64-d penultimate feature layer (the evaluator's FID/KID features) and K logits. With
 * `patch` p the image trunk starts on p×p patches, as the U-Net does (patches.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { conditioning, convResBlock, denseResBlock } from './blocks';
import { conv, dense, groupNorm, silu } from './layers';
import { padToMultiple, patchify } from './patches';
import type { ParamSource } from './params';

export interface ClassifierConfig {
  kind: 'classifier';
  inputShape: number[];
  classes: number;
  /** true: noise-aware, takes t; false: the clean evaluator. */
  timeConditioned: boolean;
  /** spec.hidden: MLP width and the feature layer's width (at least 64). */
  hidden: number;
  /** spec.depth: residual MLP blocks (vectors only). */
  depth: number;
  /** spec.channels: conv trunk widths, each level halving the resolution (images only). */
  channels: number[];
  /** spec.patch when above 1: the trunk's first level runs on p×p patches (images only). */
  patch?: number;
}

/** The penultimate feature width: spec.hidden, raised to 64 (the evaluator's features must be ≥ 64-d). */
export const featureDim = (cfg: ClassifierConfig): number => Math.max(64, cfg.hidden);

export function applyClassifier(p: ParamSource, cfg: ClassifierConfig, x: tf.Tensor, t: tf.Tensor1D | null): { features: tf.Tensor2D; logits: tf.Tensor2D } {
  if (cfg.timeConditioned !== (t !== null)) {
    throw new Error(`classifier ${cfg.timeConditioned ? 'needs' : 'takes no'} timesteps`);
  }
  const image = cfg.inputShape.length === 3;
  const emb = conditioning(p, t, null, cfg.classes, image ? 4 * cfg.channels[0] : cfg.hidden);
  let pooled: tf.Tensor2D;
  if (image) {
    const patch = cfg.patch ?? 1;
    let h = conv(p, 'in', patch > 1 ? patchify(padToMultiple(x as tf.Tensor4D, patch).padded, patch) : (x as tf.Tensor4D), cfg.channels[0]);
    cfg.channels.forEach((c, i) => {
      h = convResBlock(p, `level${i}.block`, h, emb, c);
      h = conv(p, `level${i}.downsample`, h, c, { stride: 2 });
    });
    pooled = tf.mean(silu(groupNorm(p, 'out.norm', h)), [1, 2]);
  } else {
    let h = dense(p, 'in', x, cfg.hidden) as tf.Tensor2D;
    for (let i = 0; i < cfg.depth; i++) h = denseResBlock(p, `block${i}`, h, emb);
    pooled = silu(h);
  }
  const features = silu(dense(p, 'features', pooled, featureDim(cfg))) as tf.Tensor2D;
  return { features, logits: dense(p, 'logits', features, cfg.classes) as tf.Tensor2D };
}
