/**
 * The benchmark's tasks on the current tfjs backend, through the engine's own code paths: training
 * steps via trainEpsNet / trainClassifier (Adam, EMA, batch drawing included), one DDIM step with
 * the engine's guidance rules, and the evaluator's forward pass.
 */
import * as tf from '@tensorflow/tfjs-core';
import { classifierFree, classifierGuidance } from '../engine/guidance/index';
import { classify, gradClassLogProb, disposeParams, initParams, applyEps, type ClassifierConfig, type EpsNetConfig } from '../engine/networks/index';
import { ddimStep, guidedStep } from '../engine/samplers/index';
import { makeSchedule, respace } from '../engine/schedules/index';
import { trainClassifier, trainEpsNet } from '../engine/training/index';
import type { TrainingEngine } from '../engine/training/stepEngine';
import type { EpsFn, GradLogProbFn, GuidanceRule, LabelledData } from '../engine/types';
import type { BenchCase } from './cases';
import { median, timeRuns, type Timing, type TimingOptions } from './timing';

/** The guidance scale the sampling rows use (any s > 1 costs the same). */
export const BENCH_SCALE = 3;

/** Seeded stand-in data of the case's shape: timing does not depend on the values. */
export function syntheticData(c: BenchCase, n = 1024): LabelledData {
  const shape = c.net.inputShape;
  const dim = shape.reduce((a, b) => a * b, 1);
  let s = 12345;
  const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const classes = c.net.classes;
  return {
    shape,
    x: Float32Array.from({ length: n * dim }, () => 2 * rand() - 1),
    y: Int32Array.from({ length: n }, (_, i) => i % classes),
    classes,
    classNames: Array.from({ length: classes }, (_, i) => String(i)),
  };
}

/**
 * Times training steps on `engine` from the loop's per-step progress reports; stops (aborts) once
 * the budget is spent. The warm-up steps absorb onnxruntime's one-off export and session start.
 */
export async function timeTraining(c: BenchCase, o: TimingOptions, engine: TrainingEngine): Promise<Timing> {
  const data = syntheticData(c);
  const abort = new AbortController();
  const stamps: number[] = [];
  const steps = o.warmup + o.maxRuns;
  const onProgress = () => {
    stamps.push(performance.now());
    const timed = stamps.length - 1 - o.warmup;
    const spent = timed > 0 ? stamps[stamps.length - 1] - stamps[o.warmup] : 0;
    if (timed >= o.minRuns && spent >= o.budgetMs) abort.abort();
  };
  stamps.push(performance.now());
  const hooks = { onProgress, signal: abort.signal, seed: 0, engine };
  const schedule = makeSchedule(c.spec.schedule);
  try {
    if (c.net.kind === 'classifier') {
      await trainClassifier({ ...hooks, data, schedule: c.net.timeConditioned ? schedule : null, classifier: { ...c.spec.classifier, steps, batchSize: c.batch }, checkpointEvery: 1e6 });
    } else {
      await trainEpsNet({ ...hooks, data, schedule, model: c.spec.model, training: { ...c.spec.training, steps, batchSize: c.batch, checkpointEvery: 1e6 }, pUncond: 0.1 });
    }
  } catch (error) {
    if (!abort.signal.aborted) throw error;
  }
  const times = stamps.slice(1 + o.warmup).map((t, i) => t - stamps[o.warmup + i]);
  return { ms: median(times), runs: times.length };
}

/** Inputs of one sampling step in the middle of the preset's respaced chain. */
export function stepInputs(c: BenchCase) {
  const spaced = respace(makeSchedule(c.spec.schedule), c.spec.sampler.steps);
  const k = spaced.timesteps.length >> 1;
  const n = c.batch;
  return {
    spaced,
    k,
    x: tf.randomNormal([n, ...c.net.inputShape], 0, 1, 'float32', 1),
    t: tf.fill([n], spaced.timesteps[k], 'int32') as tf.Tensor1D,
    y: tf.tensor1d(Int32Array.from({ length: n }, (_, i) => i % c.net.classes), 'int32'),
  };
}

export type StepInputs = ReturnType<typeof stepInputs>;

/** One DDIM step with `rule` as the sampler runs it, read back (so asynchronous backends finish it). */
export async function ddimOnce(c: BenchCase, s: StepInputs, rule: GuidanceRule): Promise<void> {
  const image = c.net.inputShape.length === 3;
  const context = { x: s.x, k: s.k, spaced: s.spaced, eta: c.spec.sampler.eta, bound: { clip: image ? 1 : null, threshold: null }, noise: () => tf.randomNormal(s.x.shape) };
  const at = { k: s.k, steps: s.spaced.timesteps.length, timestep: s.spaced.timesteps[s.k], alphaBar: s.spaced.alphasCumprod[s.k], first: 0 };
  const next = await guidedStep(rule, ddimStep, context, s.t, s.y, at);
  try {
    next.dataSync();
  } finally {
    next.dispose();
  }
}

/** The guidance rule a sampling case uses, around an ε-function (the unconditional-model CG of the presets). */
export function ruleFor(c: BenchCase, eps: EpsFn, gradLogProb: GradLogProbFn | null): GuidanceRule {
  const K = c.net.classes;
  if (c.task === 'sample-cfg') return classifierFree(eps, BENCH_SCALE, K);
  if (!gradLogProb) throw new Error(`bench case ${c.id} needs a classifier`);
  return classifierGuidance(eps, gradLogProb, BENCH_SCALE, K);
}

/** Times one case on the current tfjs backend. */
export async function timeTfjs(c: BenchCase, o: TimingOptions): Promise<Timing> {
  if (c.task === 'train') return timeTraining(c, o, 'tfjs');
  const params = initParams(c.net, 0);
  const clsParams = c.classifier ? initParams(c.classifier, 1) : null;
  const s = stepInputs(c);
  try {
    if (c.task === 'score') {
      const cfg = c.net as ClassifierConfig;
      return await timeRuns(() => {
        const out = tf.tidy(() => {
          const { features, logits } = classify(cfg, params, s.x, null);
          return [features, tf.softmax(logits)];
        });
        out.forEach((t) => t.dataSync());
        tf.dispose(out);
      }, o);
    }
    const cfg = c.net as EpsNetConfig;
    const eps: EpsFn = (x, t, y) => tf.tidy(() => applyEps(cfg, params, x, t, y));
    const cls = c.classifier;
    const rule = ruleFor(c, eps, clsParams && cls ? (x, t, y) => gradClassLogProb(cls, clsParams, x, t, y) : null);
    return await timeRuns(() => ddimOnce(c, s, rule), o);
  } finally {
    disposeParams(params);
    if (clsParams) disposeParams(clsParams);
    tf.dispose([s.x, s.t, s.y]);
  }
}
