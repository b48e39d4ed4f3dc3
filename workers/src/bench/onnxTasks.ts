/**
 * The inference tasks on onnxruntime (networks exported from the same tfjs weights): sampling steps
 * and scoring. The sampler's rules are synchronous, so each step first awaits onnxruntime's ε and
 * then runs the engine's own rule and DDIM step on it; classifier guidance keeps its gradient on tfjs.
 */
import * as tf from '@tensorflow/tfjs-core';
import { disposeParams, initParams, type ClassifierConfig, type EpsNetConfig } from '../engine/networks/index';
import { onnxClassifier, onnxEps } from '../engine/onnx/session';
import type { EpsFn } from '../engine/types';
import type { BenchCase } from './cases';
import { ddimOnce, logProbOf, ruleFor, stepInputs } from './tfjsTasks';
import { timeRuns, type Timing, type TimingOptions } from './timing';

export async function timeOnnx(c: BenchCase, o: TimingOptions, threads: number): Promise<Timing | null> {
  if (c.task === 'train') return null; // onnxruntime-node runs inference only
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
    const K = c.net.classes;
    // The ε-net input each rule asks for: CFG's batched [x; x] with labels [y; ∅], CG's x with ∅.
    const epsInputs = () =>
      c.task === 'sample-cfg'
        ? [tf.concat([s.x, s.x]), tf.concat([s.t, s.t]), tf.concat([s.y, tf.fill([c.batch], K, 'int32')])]
        : [s.x, s.t, tf.fill([c.batch], K, 'int32')];
    let prefetched: tf.Tensor | null = null;
    const eps: EpsFn = () => prefetched as tf.Tensor;
    const rule = ruleFor(c, eps, clsParams && c.classifier ? logProbOf(c.classifier, clsParams) : null);
    try {
      return await timeRuns(async () => {
        const inputs = tf.tidy(epsInputs);
        prefetched = await net.run(inputs[0], inputs[1] as tf.Tensor1D, inputs[2] as tf.Tensor1D);
        tf.dispose(inputs.filter((t) => t !== s.x && t !== s.t));
        ddimOnce(c, s, rule);
        prefetched.dispose();
      }, o);
    } finally {
      await net.release();
    }
  } finally {
    disposeParams(params);
    if (clsParams) disposeParams(clsParams);
    tf.dispose([s.x, s.t, s.y]);
  }
}
