/**
 * The tasks on onnxruntime (networks exported from the same tfjs weights): training steps through
 * the engine's onnxruntime step engine, sampling steps through the engine's own rules and DDIM step,
 * and scoring; classifier guidance keeps its gradient on tfjs.
 */
import * as tf from '@tensorflow/tfjs-core';
import { disposeParams, initParams, type ClassifierConfig, type EpsNetConfig } from '../engine/networks/index';
import { onnxClassifier, onnxEps } from '../engine/onnx/session';
import type { BenchCase } from './cases';
import { ddimOnce, logProbOf, ruleFor, stepInputs, timeTraining } from './tfjsTasks';
import { timeRuns, type Timing, type TimingOptions } from './timing';

export async function timeOnnx(c: BenchCase, o: TimingOptions, threads: number): Promise<Timing | null> {
  if (c.task === 'train') return timeTraining(c, o, 'onnxruntime');
  const params = initParams(c.net, 0);
  const clsParams = c.classifier ? initParams(c.classifier, 1) : null;
  const s = stepInputs(c);
  try {
    if (c.task === 'score') {
      const net = await onnxClassifier(c.net as ClassifierConfig, params, { threads });
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
    const net = await onnxEps(c.net as EpsNetConfig, params, { threads });
    const rule = ruleFor(c, net.run, clsParams && c.classifier ? logProbOf(c.classifier, clsParams) : null);
    try {
      return await timeRuns(() => ddimOnce(c, s, rule), o);
    } finally {
      await net.release();
    }
  } finally {
    disposeParams(params);
    if (clsParams) disposeParams(clsParams);
    tf.dispose([s.x, s.t, s.y]);
  }
}
