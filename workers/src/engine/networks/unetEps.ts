/**
 * A small U-Net ε-net for images [N, H, W, C] (after DDPM / ADM, without attention): level i has
 * `channels[i]` channels and, for i > 0, half the previous resolution; `blocksPerLevel` residual blocks
 * per level with skip connections to the decoder. Inputs whose size the levels cannot halve evenly
 * (e.g. 28×28 with four levels) are zero-padded and the output cropped back. With `patch` p the
 * first level sees p×p patches as pixels (28×28×1 → 14×14×4 for p = 2) and the output is shuffled
 * back: the same convolutions cost 1/p² as much, which buys wider channels on a CPU. With `classMap`
 * each label (and ∅) also has a learned feature map added after the input convolution.
 */
import * as tf from '@tensorflow/tfjs-core';
import { conditioning, convResBlock } from './blocks';
import { conv, embedding, groupNorm, silu, upsample2x } from './layers';
import { padToMultiple, patchify, unpatchify } from './patches';
import type { ParamSource } from './params';

export interface UnetEpsConfig {
  kind: 'unet-eps';
  /** Per-sample shape [H, W, C]. */
  inputShape: number[];
  classes: number;
  /** spec.model.channels */
  channels: number[];
  /** spec.model.blocksPerLevel */
  blocksPerLevel: number;
  /** spec.model.patch when above 1: the levels run on p×p patches (absent: on pixels). */
  patch?: number;
  /** spec.model.classMap: a learned first-level feature map per label, added after the input convolution. */
  classMap?: boolean;
}

export function applyUnetEps(p: ParamSource, cfg: UnetEpsConfig, x: tf.Tensor, t: tf.Tensor1D, y: tf.Tensor1D): tf.Tensor {
  const { channels, blocksPerLevel } = cfg;
  const levels = channels.length;
  const patch = cfg.patch ?? 1;
  const emb = conditioning(p, t, y, cfg.classes, 4 * channels[0]);
  const { padded, crop } = padToMultiple(x as tf.Tensor4D, patch * 2 ** (levels - 1));
  let h = conv(p, 'in', patch > 1 ? patchify(padded, patch) : padded, channels[0]);
  if (cfg.classMap) {
    // Zero at first, so the network starts as it would without the map.
    const [n, height, width, c] = h.shape;
    h = tf.add(h, tf.reshape(embedding(p, 'classMap', y, cfg.classes + 1, height * width * c, true), [n, height, width, c]));
  }
  const skips: tf.Tensor4D[] = [];
  for (let i = 0; i < levels; i++) {
    for (let b = 0; b < blocksPerLevel; b++) {
      h = convResBlock(p, `down${i}.block${b}`, h, emb, channels[i]);
      skips.push(h);
    }
    if (i < levels - 1) h = conv(p, `down${i}.downsample`, h, channels[i], { stride: 2 });
  }
  h = convResBlock(p, 'mid', h, emb, channels[levels - 1]);
  for (let i = levels - 1; i >= 0; i--) {
    for (let b = 0; b < blocksPerLevel; b++) {
      const skip = skips.pop() as tf.Tensor4D;
      h = convResBlock(p, `up${i}.block${b}`, tf.concat([h, skip], 3), emb, channels[i]);
    }
    if (i > 0) h = conv(p, `up${i}.upsample`, upsample2x(h), channels[i - 1]);
  }
  const out = conv(p, 'out', silu(groupNorm(p, 'out.norm', h)), patch * patch * cfg.inputShape[2], { zeroInit: true });
  return crop(patch > 1 ? unpatchify(out, patch) : out);
}
