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

/** One optimiser step: returns the loss and the next state's tensors (old ones disposed). */
function step(state: TrainState, o: LoopOptions): number {
  const names = [...state.params.keys()];
  const t = state.step + 1;
  const d = o.run.emaDecay === null ? 0 : emaDecayAt(o.run.emaDecay, state.step);
  const next = tf.tidy(() => {
    const f = (...ts: tf.Tensor[]) => o.loss(new Map(names.map((n, i) => [n, ts[i]])), state.step);
    const { value, grads } = tf.valueAndGrads(f)(names.map((n) => state.params.get(n) as tf.Tensor));
    const out = { loss: value as tf.Tensor, params: [] as tf.Tensor[], m: [] as tf.Tensor[], v: [] as tf.Tensor[], ema: [] as tf.Tensor[] };
    names.forEach((n, i) => {
      const u = adamUpdate(state.params.get(n) as tf.Tensor, grads[i], state.adamM.get(n) as tf.Tensor, state.adamV.get(n) as tf.Tensor, t, o.run.learningRate);
      out.params.push(u.theta);
      out.m.push(u.m);
      out.v.push(u.v);
      if (state.ema) out.ema.push(emaUpdate(state.ema.get(n) as tf.Tensor, u.theta, d));
    });
    return out;
  });
  disposeState(state);
  const asParams = (ts: tf.Tensor[]) => new Map(names.map((n, i) => [n, ts[i]]));
  state.params = asParams(next.params);
  state.adamM = asParams(next.m);
  state.adamV = asParams(next.v);
  state.ema = state.ema ? asParams(next.ema) : null;
  state.step = t;
  const loss = next.loss.dataSync()[0];
  next.loss.dispose();
  if (!Number.isFinite(loss)) throw new Error(`training diverged at step ${t}: loss is ${loss} (try a smaller learningRate)`);
  return loss;
}

/** Runs (or continues) training to `run.steps` and returns the final checkpoint. */
export async function trainLoop(o: LoopOptions): Promise<TrainResult> {
  const state = o.resume ? resumedState(o, o.resume) : freshState(o);
  const { steps, checkpointEvery } = o.run;
  const every = curveEvery(steps);
  const reportEvery = Math.max(1, Math.round(steps / 100));
  try {
    let loss: number | undefined;
    while (state.step < steps) {
      if (o.signal?.aborted) throw o.signal.reason ?? new Error('training aborted');
      loss = step(state, o);
      state.pending.sum += loss;
      state.pending.count += 1;
      if (state.step % every === 0 || state.step === steps) {
        state.curve.push({ step: state.step, loss: state.pending.sum / state.pending.count });
        state.pending = { sum: 0, count: 0 };
      }
      if (state.step % reportEvery === 0 || state.step === steps) o.onProgress?.({ phase: `train ${o.role}`, done: state.step, total: steps, loss });
      if (o.onCheckpoint && state.step % checkpointEvery === 0) await o.onCheckpoint(writeCheckpoint(state), state.step, [...state.curve]);
      // Let a cancellation (or a heartbeat) land between steps, not only at checkpoints.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return { checkpoint: writeCheckpoint(state), weightsHash: hashParams(state.ema ?? state.params), curve: state.curve };
  } finally {
    disposeState(state);
  }
}
