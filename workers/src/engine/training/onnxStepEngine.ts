/**
 * Optimiser steps on onnxruntime: the step of update.ts (forward, tfjs's own gradient kernels, Adam,
 * EMA) is traced once at the run's batch shape and exported kernel by kernel (onnx/export.ts). The
 * vectors live as host arrays between steps — each step's outputs are the next step's inputs — and
 * become tfjs tensors only when read (checkpoints).
 *
 * On one thread a step is one session call. On more, an image network's batch is split between the
 * threads (data parallelism): each runs the exported loss-and-gradient graph on its share on one
 * core (this thread and gradientThread.ts), and the exported Adam + EMA update takes the mean of their gradients.
 * The small nets' kernels are too short for onnxruntime's intra-op threads to share well: the quick
 * U-Net's step on two intra-op threads took 0.74 of its one-thread time, its two halves side by side
 * 0.56 (docs/performance.md).
 */
import * as tf from '@tensorflow/tfjs-core';
import { engineThreads } from '../backend/threads';
import { startTsThread } from '../backend/tsThread';
import { exportForward, type ExportOptions, type GraphInput } from '../onnx/export';
import { createSession, hostTensors, nchwcBlockSize, type Ort, type Session } from '../onnx/session';
import type { StepEngine } from './engineTypes';
import type { ThreadMessage } from './gradientThread';
import {
  applyGradient,
  batchTensors,
  disposeVectors,
  lossAndGradient,
  mapVectors,
  presentVectors,
  scalarTensors,
  updateStep,
  type FlatVectors,
  type HostBatch,
  type StepDefinition,
  type StepScalars,
} from './update';

/** The smallest share of a batch worth a thread of its own. */
const MIN_SHARE = 8;

const vectorInputs = (w: FlatVectors<tf.Tensor>): GraphInput[] => presentVectors(w).map(([name, tensor]) => ({ name, tensor }));
const namedInputs = (values: Record<string, tf.Tensor>): GraphInput[] => Object.entries(values).map(([name, tensor]) => ({ name, tensor }));
/** A flat vector as a host input of rank 1. */
const vector = (data: Float32Array) => ({ data, shape: [data.length] });
const nextOutputs = (next: FlatVectors<tf.Tensor>) => Object.fromEntries(presentVectors(next).map(([n, t]) => [`${n}_next`, t]));

/** Calls `use` with the example batch and step scalars as tensors (the EMA's weights only with an EMA), disposed after. */
function withExample<T>(example: HostBatch, ema: boolean, use: (batch: Record<string, tf.Tensor>, scalars: StepScalars<tf.Scalar>, inputs: GraphInput[]) => T): T {
  const batch = batchTensors(example);
  const scalars = scalarTensors({ lr: 1e-3, biasM: 1, biasV: 1, keep: 0, take: 1 });
  const { keep, take, ...always } = scalars;
  try {
    return use(batch, scalars, [...namedInputs(batch), ...namedInputs(ema ? { ...always, keep, take } : always)]);
  } finally {
    tf.dispose([...Object.values(batch), ...Object.values(scalars)]);
  }
}

/** The whole step as an ONNX graph: inputs the vectors, the batch and the step scalars (learning rate, bias corrections, EMA weights); outputs `loss` and `<vector>_next`. */
export function exportTrainStep(def: StepDefinition, w: FlatVectors<tf.Tensor>, example: HostBatch, options: ExportOptions = {}): Uint8Array {
  return withExample(example, w.ema !== null, (batch, scalars, inputs) =>
    exportForward('train-step', [...vectorInputs(w), ...inputs], new Map(), () => {
      const { loss, ...next } = updateStep(def, w, batch, scalars);
      return { loss, ...nextOutputs(next) };
    }, options),
  );
}

/** The loss and its gradient as an ONNX graph: inputs θ and the batch; outputs `loss` and `grad`. */
export function exportGradientStep(def: StepDefinition, theta: tf.Tensor, example: HostBatch, options: ExportOptions = {}): Uint8Array {
  return withExample(example, false, (batch) => exportForward('gradient-step', [{ name: 'theta', tensor: theta }, ...namedInputs(batch)], new Map(), () => lossAndGradient(def, theta, batch), options));
}

/**
 * Adam and the EMA by the mean of `shares` gradients as an ONNX graph: inputs the vectors, `grad0`…
 * and the step scalars; outputs `<vector>_next`.
 */
export function exportApplyStep(w: FlatVectors<tf.Tensor>, shares: number): Uint8Array {
  const grads = Array.from({ length: shares }, (_, i) => tf.randomNormal(w.theta.shape, 0, 1, 'float32', i));
  try {
    return withExample({}, w.ema !== null, (_, scalars, inputs) =>
      exportForward('apply-step', [...vectorInputs(w), ...grads.map((tensor, i) => ({ name: `grad${i}`, tensor })), ...inputs], new Map(), () =>
        nextOutputs(applyGradient(w, tf.div(grads.reduce((a, b) => tf.add(a, b)), shares), scalars)),
      ),
    );
  } finally {
    tf.dispose(grads);
  }
}

/** The inputs of one call of an exported step: the vectors, the batch and the step's scalars. */
export function stepFeeds(ort: Ort, host: FlatVectors<Float32Array>, batch: HostBatch, s: StepScalars<number>): Record<string, InstanceType<Ort['Tensor']>> {
  const scalar = (x: number) => new ort.Tensor('float32', Float32Array.of(x), []);
  const feeds: Record<string, InstanceType<Ort['Tensor']>> = { lr: scalar(s.lr), biasM: scalar(s.biasM), biasV: scalar(s.biasV) };
  if (host.ema) Object.assign(feeds, { keep: scalar(s.keep), take: scalar(s.take) });
  const vectors = Object.fromEntries(presentVectors(host).map(([n, a]) => [n, vector(a)]));
  return { ...feeds, ...hostTensors(ort, vectors), ...hostTensors(ort, batch) };
}

/**
 * How many threads split a step's batch: every engine thread when the batch is of images (an MLP's
 * step is a millisecond, less than the threads' hand-offs) and splits evenly into shares of at least
 * MIN_SHARE; the most that do; else 1.
 */
export function shardsFor(example: HostBatch, threads: number = engineThreads()): number {
  const shape = example.x?.shape;
  if (!shape || shape.length < 4) return 1;
  for (let k = threads; k > 1; k--) if (shape[0] % k === 0 && shape[0] / k >= MIN_SHARE) return k;
  return 1;
}

/** Share `i` of `shards` equal shares of a batch along its first axis (copies, to post to a thread). */
export function shareOf(batch: HostBatch, shards: number, i: number): HostBatch {
  return Object.fromEntries(
    Object.entries(batch).map(([n, { data, shape }]) => {
      const size = data.length / shards;
      return [n, { data: data.slice(i * size, (i + 1) * size), shape: [shape[0] / shards, ...shape.slice(1)] }];
    }),
  );
}

/** One step from the current vectors: the loss and the next vectors. */
interface StepRunner {
  run(host: FlatVectors<Float32Array>, batch: HostBatch, s: StepScalars<number>): Promise<{ loss: number; host: FlatVectors<Float32Array> }>;
  dispose(): Promise<void>;
}

const nextVectors = (host: FlatVectors<Float32Array>, out: Record<string, { data: unknown }>) => mapVectors(host, (_, n) => out[`${n}_next`].data as Float32Array);

async function wholeStep(ort: Ort, model: Uint8Array): Promise<StepRunner> {
  const session = await createSession(ort, model, {});
  return {
    async run(host, batch, s) {
      const out = await session.run(stepFeeds(ort, host, batch, s));
      return { loss: (out.loss.data as Float32Array)[0], host: nextVectors(host, out) };
    },
    dispose: () => session.release(),
  };
}

/** A thread running the gradient graph; `call` moves one share's inputs (fresh copies) to it and resolves with its loss and gradient. */
async function gradientThread(model: Uint8Array) {
  const thread = startTsThread(new URL('./gradientThread.ts', import.meta.url), { model });
  let pending: ((message: ThreadMessage) => void) | null = null;
  const fail = (error: string) => pending?.({ error });
  thread.on('error', (error) => fail(error.message));
  thread.on('exit', () => fail('a training thread stopped'));
  const next = () => new Promise<ThreadMessage>((resolve) => (pending = resolve));
  thread.on('message', (m: ThreadMessage) => pending?.(m));
  const first = await next();
  if ('error' in first) {
    await thread.terminate();
    throw new Error(first.error);
  }
  return {
    async call(inputs: HostBatch) {
      const reply = next();
      thread.postMessage(inputs, Object.values(inputs).map((v) => v.data.buffer as ArrayBuffer)); // moved, not copied: the caller's own copies
      const r = await reply;
      if ('error' in r) throw new Error(r.error);
      if ('ready' in r) throw new Error('a training thread answered out of turn');
      return r;
    },
    stop: () => thread.terminate(),
  };
}

/**
 * Share 0 runs on this thread, shares 1… on gradient threads: with one thread per core, a step's
 * hand-offs do not wait for a core (a third thread on two cores delayed every step's start ≈ 2 ms).
 */
async function shardedStep(ort: Ort, gradient: Uint8Array, apply: Uint8Array, shards: number): Promise<StepRunner> {
  const threads: Awaited<ReturnType<typeof gradientThread>>[] = [];
  const sessions: Session[] = [];
  try {
    for (let i = 1; i < shards; i++) threads.push(await gradientThread(gradient));
    // One intra-op thread each: a pool's spinning threads would take the cores from the gradient threads.
    for (const model of [gradient, apply]) sessions.push(await createSession(ort, model, { threads: 1 }));
  } catch (error) {
    await Promise.all([...threads.map((t) => t.stop()), ...sessions.map((s) => s.release())]);
    throw error;
  }
  const [own, update] = sessions;
  return {
    async run(host, batch, s) {
      const calls = threads.map((t, i) => t.call({ theta: vector(host.theta.slice()), ...shareOf(batch, shards, i + 1) }));
      const mine = own.run(hostTensors(ort, { theta: vector(host.theta), ...shareOf(batch, shards, 0) })).then((out) => ({ loss: (out.loss.data as Float32Array)[0], grad: out.grad.data as Float32Array }));
      // Every share settles before a failure is thrown: none is left unhandled, and no thread is still busy with this step.
      const replies = (await Promise.allSettled([mine, ...calls])).map((r) => {
        if (r.status === 'rejected') throw r.reason;
        return r.value;
      });
      const out = await update.run({ ...stepFeeds(ort, host, {}, s), ...hostTensors(ort, Object.fromEntries(replies.map((r, i) => [`grad${i}`, vector(r.grad)]))) });
      return { loss: replies.reduce((a, r) => a + r.loss, 0) / shards, host: nextVectors(host, out) };
    },
    async dispose() {
      await Promise.all([...threads.map((t) => t.stop()), ...sessions.map((s) => s.release())]);
    },
  };
}

/**
 * The onnxruntime engine; it takes ownership of `initial` (copied to host arrays and disposed).
 * `shards`: threads to split the batch between (default shardsFor).
 */
export async function onnxStepEngine(ort: Ort, def: StepDefinition, initial: FlatVectors<tf.Tensor1D>, example: HostBatch, shards: number = shardsFor(example)): Promise<StepEngine> {
  const options = { nchwcBlock: await nchwcBlockSize(ort) };
  let models: Uint8Array[];
  let host: FlatVectors<Float32Array>;
  try {
    models = shards === 1 ? [exportTrainStep(def, initial, example, options)] : [exportGradientStep(def, initial.theta, shareOf(example, shards, 0), options), exportApplyStep(initial, shards)];
    host = mapVectors(initial, (t) => t.dataSync() as Float32Array);
  } finally {
    disposeVectors(initial);
  }
  const runner = shards === 1 ? await wholeStep(ort, models[0]) : await shardedStep(ort, models[0], models[1], shards);
  return {
    name: 'onnxruntime',
    shards,
    async step(batch, s) {
      const r = await runner.run(host, batch, s);
      host = r.host;
      return r.loss;
    },
    read(use) {
      const w = mapVectors(host, (a) => tf.tensor1d(a));
      try {
        return use(w);
      } finally {
        disposeVectors(w);
      }
    },
    dispose: () => runner.dispose(),
  };
}
