/**
 * The optimisation loop shared by the ε-net and the classifiers: per step, a loss over a batch drawn
 * from (seed, step), its gradient, an Adam update, an EMA update (ε-nets), a loss-curve point now and
 * then, a checkpoint every `checkpointEvery` steps, progress, and the AbortSignal checked between steps.
 */
import * as tf from '@tensorflow/tfjs-core';
import { hashParams, readCheckpoint, writeCheckpoint, type CurvePoint, type ModelRole, type TrainState } from '../checkpoint';
import { cloneParams, disposeParams, initParams, type NetworkConfig, type Params } from '../networks/index';
import type { ProgressFn } from '../types';
import { adamUpdate } from './adam';
import { emaDecayAt, emaUpdate } from './ema';
import { flatten, layoutOf, unflatten, type Layout } from './flat';

export interface TrainResult {
  checkpoint: Uint8Array;
  /** sha256 of the sampling weights (EMA for ε-nets). */
  weightsHash: string;
  curve: CurvePoint[];
}

/** Hooks common to every training function. */
export interface TrainHooks {
  /** Bytes of a checkpoint to continue from (same config and hyper-parameters). */
  resume?: Uint8Array;
  onProgress?: ProgressFn;
  onCheckpoint?: (bytes: Uint8Array, step: number, curve: CurvePoint[]) => void | Promise<void>;
  signal?: AbortSignal;
}

export interface LoopOptions extends TrainHooks {
  role: ModelRole;
  config: NetworkConfig;
  /** Defining hyper-parameters, stored in the checkpoint and checked on resume. */
  run: { seed: number; steps: number; batchSize: number; learningRate: number; checkpointEvery: number; emaDecay: number | null } & Record<string, number | null>;
  /** The scalar loss of step `step` (0-based) for `params`; draws its own batch. */
  loss: (params: Params, step: number) => tf.Scalar;
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

/** The tensors a run updates, each flattened to one vector (see flat.ts). */
interface Working {
  layout: Layout;
  theta: tf.Tensor1D;
  m: tf.Tensor1D;
  v: tf.Tensor1D;
  ema: tf.Tensor1D | null;
}

/** Moves a state's tensors into flat vectors (the state's own maps are disposed). */
function toWorking(state: TrainState): Working {
  const layout = layoutOf(state.params);
  const w = { layout, theta: flatten(state.params, layout), m: flatten(state.adamM, layout), v: flatten(state.adamV, layout), ema: state.ema ? flatten(state.ema, layout) : null };
  disposeState(state);
  return w;
}

const disposeWorking = (w: Working) => tf.dispose([w.theta, w.m, w.v, ...(w.ema ? [w.ema] : [])]);

/** Per-tensor copies of the working vectors, for checkpoints and hashes (the caller disposes them). */
function asParams(flat: tf.Tensor1D, layout: Layout): Params {
  const tensors = tf.tidy(() => [...unflatten(flat, layout).values()]);
  return new Map(layout.names.map((n, i) => [n, tensors[i]]));
}

function checkpointOf(state: TrainState, w: Working): Uint8Array {
  const snapshot = { ...state, params: asParams(w.theta, w.layout), adamM: asParams(w.m, w.layout), adamV: asParams(w.v, w.layout), ema: w.ema ? asParams(w.ema, w.layout) : null };
  try {
    return writeCheckpoint(snapshot);
  } finally {
    disposeState(snapshot);
  }
}

/** One optimiser step on the working vectors (old ones disposed); returns the loss. */
function step(state: TrainState, w: Working, o: LoopOptions): number {
  const t = state.step + 1;
  const d = o.run.emaDecay === null ? 0 : emaDecayAt(o.run.emaDecay, state.step);
  const [lossTensor, theta, m, v, ema = null] = tf.tidy(() => {
    const { value, grad } = tf.valueAndGrad((flat: tf.Tensor) => o.loss(unflatten(flat, w.layout), state.step))(w.theta);
    const u = adamUpdate(w.theta, grad, w.m, w.v, t, o.run.learningRate);
    return [value, u.theta, u.m, u.v, ...(w.ema ? [emaUpdate(w.ema, u.theta, d)] : [])];
  });
  disposeWorking(w);
  Object.assign(w, { theta, m, v, ema });
  state.step = t;
  const loss = lossTensor.dataSync()[0];
  lossTensor.dispose();
  if (!Number.isFinite(loss)) throw new Error(`training diverged at step ${t}: loss is ${loss} (try a smaller learningRate)`);
  return loss;
}

/** Runs (or continues) training to `run.steps` and returns the final checkpoint. */
export async function trainLoop(o: LoopOptions): Promise<TrainResult> {
  const state = o.resume ? resumedState(o, o.resume) : freshState(o);
  const w = toWorking(state);
  const { steps, checkpointEvery } = o.run;
  const every = curveEvery(steps);
  const reportEvery = Math.max(1, Math.round(steps / 100));
  try {
    let loss: number | undefined;
    while (state.step < steps) {
      if (o.signal?.aborted) throw o.signal.reason ?? new Error('training aborted');
      loss = step(state, w, o);
      state.pending.sum += loss;
      state.pending.count += 1;
      if (state.step % every === 0 || state.step === steps) {
        state.curve.push({ step: state.step, loss: state.pending.sum / state.pending.count });
        state.pending = { sum: 0, count: 0 };
      }
      if (state.step % reportEvery === 0 || state.step === steps) o.onProgress?.({ phase: `train ${o.role}`, done: state.step, total: steps, loss });
      if (o.onCheckpoint && state.step % checkpointEvery === 0) await o.onCheckpoint(checkpointOf(state, w), state.step, [...state.curve]);
      // Let a cancellation (or a heartbeat) land between steps, not only at checkpoints.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const sampling = asParams(w.ema ?? w.theta, w.layout);
    try {
      return { checkpoint: checkpointOf(state, w), weightsHash: hashParams(sampling), curve: state.curve };
    } finally {
      disposeParams(sampling);
    }
  } finally {
    disposeWorking(w);
  }
}
