/**
 * The optimisation loop shared by the ε-net and the classifiers: per step, a batch drawn from
 * (seed, step), one optimiser step on the chosen engine (update.ts: loss, gradient, Adam, EMA), a
 * loss-curve point now and then, a checkpoint every `checkpointEvery` steps, progress, and the
 * AbortSignal checked between steps.
 */
import * as tf from '@tensorflow/tfjs-core';
import { hashParams, readCheckpoint, writeCheckpoint, type CurvePoint, type ModelRole, type TrainState } from '../checkpoint';
import { cloneParams, disposeParams, initParams, type NetworkConfig, type Params } from '../networks/index';
import type { ProgressFn } from '../types';
import { flatten, layoutOf, unflatten, type Layout } from './flat';
import { openStepEngine, type StepEngine, type TrainingEngine } from './stepEngine';
import { stepScalars, type FlatVectors, type HostBatch, type LossFn } from './update';

export interface TrainResult {
  checkpoint: Uint8Array;
  /** sha256 of the sampling weights (EMA for ε-nets). */
  weightsHash: string;
  curve: CurvePoint[];
  /** Where the steps ran. */
  engine: StepEngine['name'];
}

/** Hooks common to every training function. */
export interface TrainHooks {
  /** Bytes of a checkpoint to continue from (same config and hyper-parameters). */
  resume?: Uint8Array;
  onProgress?: ProgressFn;
  onCheckpoint?: (bytes: Uint8Array, step: number, curve: CurvePoint[]) => void | Promise<void>;
  signal?: AbortSignal;
  /** Where the steps run (default: GUIDANCE_TRAINING, else auto — onnxruntime when it loads). */
  engine?: TrainingEngine;
}

export interface LoopOptions extends TrainHooks {
  role: ModelRole;
  config: NetworkConfig;
  /**
   * Defining hyper-parameters, stored in the checkpoint and checked on resume (null ones are left
   * out, so runs from before an option existed still resume). `warmupSteps` and `cosineDecay` (1 or
   * null) shape the learning rate (learningRate.ts).
   */
  run: { seed: number; steps: number; batchSize: number; learningRate: number; checkpointEvery: number; emaDecay: number | null; warmupSteps: number | null; cosineDecay: 1 | null } & Record<string, number | null>;
  /** The minibatch of step `step` (0-based), as host arrays; the same shapes every step. */
  batch: (step: number) => HostBatch;
  /** The scalar loss of `params` on a batch. */
  loss: LossFn;
}

/** About 200 points whatever the length of the run. */
const curveEvery = (steps: number) => Math.max(1, Math.round(steps / 200));

function freshState(o: LoopOptions): TrainState {
  const params = initParams(o.config, o.run.seed);
  const zeros = () => new Map([...params].map(([n, t]) => [n, tf.keep(tf.zerosLike(t))]));
  return { role: o.role, config: o.config, run: storedRun(o), step: 0, curve: [], pending: { sum: 0, count: 0 }, params, ema: o.run.emaDecay === null ? null : cloneParams(params), adamM: zeros(), adamV: zeros() };
}

const storedRun = (o: LoopOptions): Record<string, number> =>
  Object.fromEntries(Object.entries(o.run).filter((e): e is [string, number] => e[1] !== null));

function resumedState(o: LoopOptions, bytes: Uint8Array): TrainState {
  const state = readCheckpoint(bytes);
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const problem =
    state.role !== o.role ? `role '${state.role}' ≠ '${o.role}'` : !same(state.config, o.config) ? 'network config differs' : !same(state.run, storedRun(o)) ? `hyper-parameters differ (${JSON.stringify(state.run)} vs ${JSON.stringify(storedRun(o))})` : null;
  if (problem) {
    disposeState(state);
    throw new Error(`cannot resume from this checkpoint: ${problem}`);
  }
  return state;
}

function disposeState(s: TrainState): void {
  for (const ps of [s.params, s.ema, s.adamM, s.adamV]) if (ps) disposeParams(ps);
}

/** Moves a state's tensors into flat vectors (the state's own maps are disposed). */
function toVectors(state: TrainState, layout: Layout): FlatVectors<tf.Tensor1D> {
  const w = { theta: flatten(state.params, layout), m: flatten(state.adamM, layout), v: flatten(state.adamV, layout), ema: state.ema ? flatten(state.ema, layout) : null };
  disposeState(state);
  return w;
}

/** Per-tensor copies of a flat vector, for checkpoints and hashes (the caller disposes them). */
function asParams(flat: tf.Tensor1D, layout: Layout): Params {
  const tensors = tf.tidy(() => [...unflatten(flat, layout).values()]);
  return new Map(layout.names.map((n, i) => [n, tensors[i]]));
}

/** The checkpoint of `state` with the run's current vectors. */
function checkpointOf(state: TrainState, w: FlatVectors<tf.Tensor1D>, layout: Layout): Uint8Array {
  const snapshot = { ...state, params: asParams(w.theta, layout), adamM: asParams(w.m, layout), adamV: asParams(w.v, layout), ema: w.ema ? asParams(w.ema, layout) : null };
  try {
    return writeCheckpoint(snapshot);
  } finally {
    disposeState(snapshot);
  }
}

/**
 * One optimiser step on `batch` (the batch of step `state.step`); returns the loss and the next
 * step's batch, drawn after this step is handed to the engine: with the batch split, the gradient
 * threads run their shares meanwhile (the engine's own share waits for the draw: ≈ 1.1 ms for 32 MNIST images).
 */
async function step(state: TrainState, engine: StepEngine, o: LoopOptions, batch: HostBatch): Promise<{ loss: number; next: HostBatch | null }> {
  const t = state.step + 1;
  const { learningRate, steps, warmupSteps, cosineDecay, emaDecay } = o.run;
  const lr = { learningRate, steps, warmupSteps: warmupSteps ?? 0, decay: cosineDecay ? ('cosine' as const) : ('constant' as const) };
  const running = engine.step(batch, stepScalars(t, lr, emaDecay));
  const next = t < steps ? o.batch(t) : null;
  const loss = await running;
  state.step = t;
  if (!Number.isFinite(loss)) throw new Error(`training diverged at step ${t}: loss is ${loss} (try a smaller learningRate)`);
  return { loss, next };
}

/** Runs (or continues) training to `run.steps` and returns the final checkpoint. */
export async function trainLoop(o: LoopOptions): Promise<TrainResult> {
  const state = o.resume ? resumedState(o, o.resume) : freshState(o);
  const layout = layoutOf(state.params);
  const def = { layout, loss: o.loss };
  let batch = o.batch(state.step);
  const engine = await openStepEngine(def, toVectors(state, layout), batch, o.engine);
  const { steps, checkpointEvery } = o.run;
  const every = curveEvery(steps);
  const reportEvery = Math.max(1, Math.round(steps / 100));
  try {
    let loss: number | undefined;
    while (state.step < steps) {
      if (o.signal?.aborted) throw o.signal.reason ?? new Error('training aborted');
      const done = await step(state, engine, o, batch);
      loss = done.loss;
      if (done.next) batch = done.next;
      state.pending.sum += loss;
      state.pending.count += 1;
      if (state.step % every === 0 || state.step === steps) {
        state.curve.push({ step: state.step, loss: state.pending.sum / state.pending.count });
        state.pending = { sum: 0, count: 0 };
      }
      if (state.step % reportEvery === 0 || state.step === steps) o.onProgress?.({ phase: `train ${o.role}`, done: state.step, total: steps, loss });
      if (o.onCheckpoint && state.step % checkpointEvery === 0) await o.onCheckpoint(engine.read((w) => checkpointOf(state, w, layout)), state.step, [...state.curve]);
      // Let a cancellation (or a heartbeat) land between steps, not only at checkpoints.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return engine.read((w) => {
      const sampling = asParams(w.ema ?? w.theta, layout);
      try {
        return { checkpoint: checkpointOf(state, w, layout), weightsHash: hashParams(sampling), curve: state.curve, engine: engine.name };
      } finally {
        disposeParams(sampling);
      }
    });
  } finally {
    await engine.dispose();
  }
}
