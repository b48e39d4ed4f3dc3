/**
 * The tasks on onnxruntime (networks exported from the same tfjs weights): training steps through
 * the engine's onnxruntime step engine, sampling steps through the engine's own rules and DDIM step
 * (classifier guidance with the classifier's traced gradient graph), and scoring.
 */
import * as tf from '@tensorflow/tfjs-core';
import { disposeParams, initParams, type ClassifierConfig, type EpsNetConfig } from '../engine/networks/index';
import { inferenceChunks } from '../engine/inference';
import { onnxClassifier, onnxEps, onnxGradLogProb } from '../engine/onnx/session';
import type { BenchCase } from './cases';
import { ddimOnce, ruleFor, stepInputs, timeTraining } from './tfjsTasks';
import { timeRuns, type Timing, type TimingOptions } from './timing';

export async function timeOnnx(c: BenchCase, o: TimingOptions, threads: number): Promise<Timing | null> {
  if (c.task === 'train') return timeTraining(c, o, 'onnxruntime');
  const params = initParams(c.net, 0);
  const clsParams = c.classifier ? initParams(c.classifier, 1) : null;
  const s = stepInputs(c);
  const { epsChunk, evaluatorChunk } = inferenceChunks(c.conv); // as the pipeline runs them
  try {
    if (c.task === 'score') {
      const net = await onnxClassifier(c.net as ClassifierConfig, params, { threads, chunk: evaluatorChunk });
      try {
        return await timeRuns(async () => {
          const { features, logits } = await net.run(s.x, null);
          const probs = tf.softmax(logits);
          probs.dataSync();
          tf.dispose([features, logits, probs]);
        }, o);
      } finally {
        await net.release();
      }
    }
    const net = await onnxEps(c.net as EpsNetConfig, params, { threads, chunk: epsChunk });
    let gradient: Awaited<ReturnType<typeof onnxGradLogProb>> | null = null;
    try {
      if (clsParams && c.classifier) gradient = await onnxGradLogProb(c.classifier, clsParams, { threads, chunk: epsChunk });
      const rule = ruleFor(c, net.run, gradient?.run ?? null);
      return await timeRuns(() => ddimOnce(c, s, rule), o);
    } finally {
      await Promise.all([net.release(), gradient?.release()]);
    }
  } finally {
    disposeParams(params);
    if (clsParams) disposeParams(clsParams);
    tf.dispose([s.x, s.t, s.y]);
  }
}
