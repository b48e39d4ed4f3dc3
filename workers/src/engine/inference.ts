/**
 * Where a grid point's networks run once trained: onnxruntime when it loads on this machine (the
 * ε-net, the evaluator and the noise-aware classifier's input gradient exported from the same
 * weights — the gradient as tfjs's own backward kernels, traced; 2–5× faster than tfjs-wasm on
 * CPU), else the tfjs backend itself. `GUIDANCE_INFERENCE=tfjs` forces tfjs.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { loadEpsNet, loadEvaluator, loadNoisyClassifier } from './checkpoint';
import { gradClassLogProb } from './networks/index';
import { onnxClassifier, onnxEps, onnxGradLogProb, ortIfWanted, type OnnxNetwork } from './onnx/session';
import type { EpsFn, GradLogProbFn } from './types';

export type InferenceEngine = 'onnxruntime' | 'tfjs';

export interface Inference {
  engine: InferenceEngine;
  eps: EpsFn;
  /** ∇_x log f(y | x_t, t) of the noise-aware classifier, when one was given. */
  gradLogProb: GradLogProbFn | null;
  /** The autoguidance guide's ε, when a guide was given. */
  guideEps: EpsFn | null;
  /** Samples per sampler batch on this engine. */
  samplerBatch: number;
  /** Frees the onnxruntime sessions (the tfjs weights belong to the caller). */
  release(): Promise<void>;
}

/** The evaluator on the chosen engine. */
export interface Scorer {
  engine: InferenceEngine;
  /** Evaluator features and class probabilities of a batch (new tensors). */
  evaluate(x: tf.Tensor): Promise<{ features: tf.Tensor2D; probs: tf.Tensor2D }>;
  release(): Promise<void>;
}

/**
 * Samples per onnxruntime call (each exported graph's fixed batch). Toy nets are tiny: one call per
 * sampling step for a whole grid point (CFG's 2 × 2048) beats many small ones; conv nets gain little past 64.
 */
export const inferenceChunks = (image: boolean) => ({ epsChunk: image ? 64 : 4096, evaluatorChunk: 500 });

/**
 * Samples per sampler batch: toy — half an ε call (CFG doubles the batch); images on onnxruntime
 * 256; images on tfjs 64, as CFG doubles the batch and a 256-image U-Net pass already takes
 * ~2.4 GiB of the 4 GiB wasm heap.
 */
const samplerBatch = (image: boolean, engine: InferenceEngine) => (!image ? inferenceChunks(false).epsChunk / 2 : engine === 'onnxruntime' ? 256 : 64);

/**
 * Opens the ε-net, (for classifier guidance) the noise-aware classifier's gradient and (for
 * autoguidance) the guide ε-net on the chosen engine, batched for images or for toy vectors.
 */
export async function openInference(
  epsNet: ReturnType<typeof loadEpsNet>,
  classifier: ReturnType<typeof loadNoisyClassifier> | null,
  image: boolean,
  guide: ReturnType<typeof loadEpsNet> | null = null,
): Promise<Inference> {
  if (!(await ortIfWanted('GUIDANCE_INFERENCE'))) {
    return {
      engine: 'tfjs',
      eps: epsNet.eps,
      gradLogProb: classifier ? (x, t, y) => gradClassLogProb(classifier.config, classifier.params, x, t, y) : null,
      guideEps: guide?.eps ?? null,
      samplerBatch: samplerBatch(image, 'tfjs'),
      release: async () => {},
    };
  }
  const opts = inferenceChunks(image);
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
  const gradient = classifier ? await open(onnxGradLogProb(classifier.config, classifier.params, { chunk: opts.epsChunk })) : null;
  const guideNet = guide ? await open(onnxEps(guide.config, guide.params, { chunk: opts.epsChunk })) : null;
  return {
    engine: 'onnxruntime',
    eps: eps.run,
    gradLogProb: gradient?.run ?? null,
    guideEps: guideNet?.run ?? null,
    samplerBatch: samplerBatch(image, 'onnxruntime'),
    release: async () => {
      await Promise.all(opened.map((n) => n.release()));
    },
  };
}

/**
 * The evaluator, for scoring samples (just drawn or stored): on the engine openInference would
 * choose, in one fixed batch size, so scoring the same samples again gives the same numbers.
 */
export async function openEvaluator(evaluator: ReturnType<typeof loadEvaluator>): Promise<Scorer> {
  if (!(await ortIfWanted('GUIDANCE_INFERENCE'))) return { engine: 'tfjs', evaluate: async (x) => evaluator.evaluate(x), release: async () => {} };
  const scorer = await onnxClassifier(evaluator.config, evaluator.params, { chunk: inferenceChunks(false).evaluatorChunk });
  return {
    engine: 'onnxruntime',
    async evaluate(x) {
      const { features, logits } = await scorer.run(x, null);
      const probs = tf.softmax(logits);
      logits.dispose();
      return { features: features as tf.Tensor2D, probs: probs as tf.Tensor2D };
    },
    release: () => scorer.release(),
  };
}
