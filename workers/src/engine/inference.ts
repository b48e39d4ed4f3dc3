/**
 * Where a grid point's networks run once trained: onnxruntime when it loads on this machine (the
 * ε-net and the evaluator exported from the same weights; 2–3× faster than tfjs-wasm on CPU), else
 * the tfjs backend itself. `GUIDANCE_INFERENCE=tfjs` forces tfjs. Classifier guidance's gradient
 * always runs on tfjs (onnxruntime-node has no autodiff).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { loadEpsNet, loadEvaluator } from './checkpoint';
import { loadOrt, onnxClassifier, onnxEps } from './onnx/session';
import type { EpsFn } from './types';

export type InferenceEngine = 'onnxruntime' | 'tfjs';

export interface Inference {
  engine: InferenceEngine;
  eps: EpsFn;
  /** Evaluator features and class probabilities of a batch (new tensors). */
  evaluate(x: tf.Tensor): Promise<{ features: tf.Tensor2D; probs: tf.Tensor2D }>;
  /** Frees the onnxruntime sessions (the tfjs weights belong to the caller). */
  release(): Promise<void>;
}

const ENGINES = ['auto', 'onnxruntime', 'tfjs'] as const;

/** The engine GUIDANCE_INFERENCE asks for, and whether onnxruntime is there to honour it. */
async function chosenEngine(): Promise<InferenceEngine> {
  const wanted = process.env.GUIDANCE_INFERENCE || 'auto';
  if (!(ENGINES as readonly string[]).includes(wanted)) throw new Error(`GUIDANCE_INFERENCE must be one of ${ENGINES.join(', ')}; got '${wanted}'`);
  if (wanted === 'tfjs') return 'tfjs';
  const ort = await loadOrt();
  if (!ort && wanted === 'onnxruntime') throw new Error('GUIDANCE_INFERENCE is onnxruntime, but onnxruntime-node cannot load on this machine');
  return ort ? 'onnxruntime' : 'tfjs';
}

/**
 * Opens the ε-net and the evaluator on the chosen engine. `epsChunk` is the batch of one
 * onnxruntime call (the exported graph's fixed batch).
 */
export async function openInference(
  epsNet: ReturnType<typeof loadEpsNet>,
  evaluator: ReturnType<typeof loadEvaluator>,
  opts: { epsChunk: number; evaluatorChunk: number },
): Promise<Inference> {
  if ((await chosenEngine()) === 'tfjs') {
    return {
      engine: 'tfjs',
      eps: epsNet.eps,
      evaluate: async (x) => evaluator.evaluate(x),
      release: async () => {},
    };
  }
  const eps = await onnxEps(epsNet.config, epsNet.params, { chunk: opts.epsChunk });
  const classifier = await onnxClassifier(evaluator.config, evaluator.params, { chunk: opts.evaluatorChunk }).catch(async (error: unknown) => {
    await eps.release();
    throw error;
  });
  return {
    engine: 'onnxruntime',
    eps: eps.run,
    evaluate: async (x) => {
      const { features, logits } = await classifier.run(x, null);
      const probs = tf.softmax(logits);
      logits.dispose();
      return { features, probs };
    },
    release: async () => {
      await Promise.all([eps.release(), classifier.release()]);
    },
  };
}
