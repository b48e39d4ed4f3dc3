/**
 * Where a grid point's networks run once trained: onnxruntime when it loads on this machine (the
 * ε-net, the evaluator and the noise-aware classifier's input gradient exported from the same
 * weights — the gradient as tfjs's own backward kernels, traced; 2–5× faster than tfjs-wasm on
 * CPU), else the tfjs backend itself. `GUIDANCE_INFERENCE=tfjs` forces tfjs.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { loadEpsNet, loadEvaluator, loadNoisyClassifier } from './checkpoint';
import { gradLogProbOf } from './guidance/index';
import { classLogProb } from './networks/index';
import { onnxClassifier, onnxEps, onnxGradLogProb, ortIfWanted, type OnnxNetwork } from './onnx/session';
import type { EpsFn, GradLogProbFn } from './types';

export type InferenceEngine = 'onnxruntime' | 'tfjs';

export interface Inference {
  engine: InferenceEngine;
  eps: EpsFn;
  /** Evaluator features and class probabilities of a batch (new tensors). */
  evaluate(x: tf.Tensor): Promise<{ features: tf.Tensor2D; probs: tf.Tensor2D }>;
  /** ∇_x log f(y | x_t, t) of the noise-aware classifier, when one was given. */
  gradLogProb: GradLogProbFn | null;
  /** Frees the onnxruntime sessions (the tfjs weights belong to the caller). */
  release(): Promise<void>;
}

/**
 * Samples per onnxruntime call (each exported graph's fixed batch). Toy nets are tiny: one call per
 * sampling step for a whole grid point beats many small ones; conv nets gain little past 64.
 */
export const inferenceChunks = (image: boolean) => ({ epsChunk: image ? 64 : 4096, evaluatorChunk: 500 });

/**
 * Opens the ε-net, the evaluator and (for classifier guidance) the noise-aware classifier's gradient
 * on the chosen engine. `epsChunk` is the batch of one onnxruntime call (the exported graph's
 * fixed batch), also used for the gradient.
 */
export async function openInference(
  epsNet: ReturnType<typeof loadEpsNet>,
  evaluator: ReturnType<typeof loadEvaluator>,
  classifier: ReturnType<typeof loadNoisyClassifier> | null,
  opts: { epsChunk: number; evaluatorChunk: number },
): Promise<Inference> {
  if (!(await ortIfWanted('GUIDANCE_INFERENCE'))) {
    return {
      engine: 'tfjs',
      eps: epsNet.eps,
      evaluate: async (x) => evaluator.evaluate(x),
      gradLogProb: classifier ? gradLogProbOf((x, t, y) => classLogProb(classifier.config, classifier.params, x, t, y)) : null,
      release: async () => {},
    };
  }
  const opened: OnnxNetwork<unknown>[] = [];
  const open = async <F>(network: Promise<OnnxNetwork<F>>): Promise<OnnxNetwork<F>> => {
    try {
      const n = await network;
      opened.push(n);
      return n;
    } catch (error) {
      await Promise.all(opened.map((n) => n.release()));
      throw error;
    }
  };
  const eps = await open(onnxEps(epsNet.config, epsNet.params, { chunk: opts.epsChunk }));
  const scorer = await open(onnxClassifier(evaluator.config, evaluator.params, { chunk: opts.evaluatorChunk }));
  const gradient = classifier ? await open(onnxGradLogProb(classifier.config, classifier.params, { chunk: opts.epsChunk })) : null;
  return {
    engine: 'onnxruntime',
    eps: eps.run,
    evaluate: async (x) => {
      const { features, logits } = await scorer.run(x, null);
      const probs = tf.softmax(logits);
      logits.dispose();
      return { features, probs };
    },
    gradLogProb: gradient?.run ?? null,
    release: async () => {
      await Promise.all(opened.map((n) => n.release()));
    },
  };
}
