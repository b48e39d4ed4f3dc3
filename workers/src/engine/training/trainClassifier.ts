/**
 * Classifier training with cross-entropy: with a schedule, the noise-aware guidance classifier on x_t for
 * t ~ U{0..T−1} (Dhariwal & Nichol §4.1, same noising as the ε-net); with null, the clean evaluator.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { SweepSpec } from '@guidance-lab/experiments/spec';
import { classifierConfig, classify, type ClassifierConfig } from '../networks/index';
import type { LabelledData, NoiseSchedule } from '../types';
import { drawBatch } from './batches';
import { trainLoop, type TrainHooks, type TrainResult } from './loop';
import type { LossFn } from './update';

export interface TrainClassifierOptions extends TrainHooks {
  data: LabelledData;
  /** The ε-net's schedule for the noise-aware classifier; null for the clean evaluator. */
  schedule: NoiseSchedule | null;
  classifier: SweepSpec['classifier'];
  seed: number;
  /** Steps between checkpoints (default 500). */
  checkpointEvery?: number;
}

export function trainClassifier(o: TrainClassifierOptions): Promise<TrainResult> {
  const config = classifierConfig(o.classifier, { shape: o.data.shape, classes: o.data.classes }, o.schedule !== null);
  const { steps, batchSize, learningRate, warmupSteps, lrDecay } = o.classifier;
  const checkpointEvery = o.checkpointEvery ?? 500;
  return trainLoop({
    ...o,
    role: o.schedule ? 'noisy-classifier' : 'evaluator',
    config,
    run: { seed: o.seed, steps, batchSize, learningRate, checkpointEvery, emaDecay: null, warmupSteps: warmupSteps ?? null, cosineDecay: lrDecay === 'cosine' ? 1 : null, T: o.schedule?.T ?? null },
    batch: (step) => {
      const b = drawBatch(o.data, o.schedule, batchSize, 0, o.seed, step);
      return { x: { data: b.x, shape: [batchSize, ...o.data.shape] }, y: { data: b.y, shape: [batchSize] }, ...(o.schedule ? { t: { data: b.t, shape: [batchSize] } } : {}) };
    },
    loss: classifierLoss(config),
  });
}

/** Cross-entropy −log softmax(logits)[y], averaged over the batch. */
export const crossEntropy = (logits: tf.Tensor2D, y: tf.Tensor1D, classes: number): tf.Scalar =>
  tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits), tf.oneHot(y, classes)), 1))) as tf.Scalar;

/** A classifier's loss: the cross-entropy of its logits on the batch's x (and t, when noise-aware) against y. */
export const classifierLoss =
  (config: ClassifierConfig): LossFn =>
  (params, b) =>
    crossEntropy(classify(config, params, b.x, (b.t as tf.Tensor1D | undefined) ?? null).logits, b.y as tf.Tensor1D, config.classes);
