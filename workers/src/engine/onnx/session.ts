/**
 * onnxruntime-node inference for the engine's networks, from the same weights as the tfjs path.
 * onnxruntime is asynchronous, so these are async counterparts of EpsFn and the classifier forward;
 * a network's session is built lazily per batch size (the exported graphs have a fixed batch).
 */
import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import type { ClassifierConfig, EpsNetConfig, Params } from '../networks/index';
import { exportClassifier, exportEpsNet } from './export';

type Ort = typeof import('onnxruntime-node');
type Session = Awaited<ReturnType<Ort['InferenceSession']['create']>>;

let ort: Promise<Ort | null> | null = null;

/** onnxruntime-node, or null when it is not installed or its native binding cannot load here. */
export function loadOrt(): Promise<Ort | null> {
  ort ??= import('onnxruntime-node').then(
    (m) => ((m as { default?: Ort }).default ?? m) as Ort,
    () => null,
  );
  return ort;
}

export interface OrtOptions {
  /** Intra-op threads; default: every core. */
  threads?: number;
}

/** An async ε_θ(x, t, y): the ONNX counterpart of EpsFn (same tensors in, a new tensor out). */
export type AsyncEpsFn = (x: tf.Tensor, t: tf.Tensor1D, y: tf.Tensor1D) => Promise<tf.Tensor>;

/** An async classifier forward: features and logits, `t` exactly when the classifier is time-conditioned. */
export type AsyncClassifyFn = (x: tf.Tensor, t: tf.Tensor1D | null) => Promise<{ features: tf.Tensor2D; logits: tf.Tensor2D }>;

/** Owns the per-batch-size sessions of one network. */
export interface OnnxNetwork<F> {
  run: F;
  /** Releases every session. */
  release(): Promise<void>;
}

async function createSession(o: Ort, model: Uint8Array, options: OrtOptions): Promise<Session> {
  const threads = options.threads ?? os.availableParallelism();
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`onnxruntime threads must be a whole number ≥ 1, got ${threads}`);
  return o.InferenceSession.create(model, { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential' });
}

/** Sessions keyed by batch size, each created from `exportAt(batch)` on first use. */
function sessionsFor(o: Ort, exportAt: (batch: number) => Uint8Array, options: OrtOptions) {
  const sessions = new Map<number, Promise<Session>>();
  return {
    get(batch: number): Promise<Session> {
      let s = sessions.get(batch);
      if (!s) {
        s = createSession(o, exportAt(batch), options);
        sessions.set(batch, s);
      }
      return s;
    },
    async release() {
      const all = await Promise.all(sessions.values());
      sessions.clear();
      await Promise.all(all.map((s) => s.release()));
    },
  };
}

/** Reads a tfjs tensor into an onnxruntime tensor (a copy; tfjs keeps its own). */
function toOrt(o: Ort, t: tf.Tensor): InstanceType<Ort['Tensor']> {
  const data = t.dataSync();
  if (t.dtype === 'float32') return new o.Tensor('float32', data as Float32Array, t.shape);
  if (t.dtype === 'int32') return new o.Tensor('int32', data as Int32Array, t.shape);
  throw new Error(`onnxruntime input of dtype ${t.dtype} is not supported (float32, int32)`);
}

function fromOrt(value: InstanceType<Ort['Tensor']>): tf.Tensor {
  return tf.tensor(value.data as Float32Array, value.dims as number[], 'float32');
}

async function requireOrt(): Promise<Ort> {
  const o = await loadOrt();
  if (!o) throw new Error('onnxruntime-node is not installed or cannot load on this machine');
  return o;
}

/** ε_θ on onnxruntime, exported from the tfjs network `cfg` with weights `params` (which must stay alive until the first call per batch size). */
export async function onnxEps(cfg: EpsNetConfig, params: Params, options: OrtOptions = {}): Promise<OnnxNetwork<AsyncEpsFn>> {
  const o = await requireOrt();
  const sessions = sessionsFor(o, (batch) => exportEpsNet(cfg, params, batch), options);
  return {
    run: async (x, t, y) => {
      const session = await sessions.get(x.shape[0]);
      const out = await session.run({ x: toOrt(o, x), t: toOrt(o, t), y: toOrt(o, y) });
      return fromOrt(out.eps);
    },
    release: sessions.release,
  };
}

/** A classifier (noise-aware or the evaluator) on onnxruntime. */
export async function onnxClassifier(cfg: ClassifierConfig, params: Params, options: OrtOptions = {}): Promise<OnnxNetwork<AsyncClassifyFn>> {
  const o = await requireOrt();
  const sessions = sessionsFor(o, (batch) => exportClassifier(cfg, params, batch), options);
  return {
    run: async (x, t) => {
      if (cfg.timeConditioned !== (t !== null)) throw new Error(`classifier ${cfg.timeConditioned ? 'needs' : 'takes no'} timesteps`);
      const session = await sessions.get(x.shape[0]);
      const out = await session.run(t ? { x: toOrt(o, x), t: toOrt(o, t) } : { x: toOrt(o, x) });
      return { features: fromOrt(out.features) as tf.Tensor2D, logits: fromOrt(out.logits) as tf.Tensor2D };
    },
    release: sessions.release,
  };
}
