/**
 * onnxruntime-node inference for the engine's networks, from the same weights as the tfjs path.
 * onnxruntime is asynchronous, so these are async counterparts of EpsFn and the classifier forward.
 * The exported graphs have a fixed batch, and exporting traces one tfjs forward pass at that batch
 * (which must fit the 4 GiB wasm heap), so large batches run as chunks of `chunk` samples through
 * at most two sessions (full chunks and the remainder), each built on first use.
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkThreads, engineThreads } from '../backend/threads';
import type { ClassifierConfig, EpsNetConfig, Params } from '../networks/index';
import { exportClassifier, exportEpsNet, exportGradLogProb } from './export';
import { GraphBuilder, NCHWC_DOMAIN } from './graph';

export type Ort = typeof import('onnxruntime-node');
export type Session = Awaited<ReturnType<Ort['InferenceSession']['create']>>;

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
  /** Intra-op threads; default: engineThreads() (GUIDANCE_THREADS or every core). */
  threads?: number;
  /** Samples per session call (default 64: convolutions gain little from larger batches). */
  chunk?: number;
  /** Inter-op threads: above 1, independent branches of the graph run at once (executionMode 'parallel'). */
  interOp?: number;
  /** Writes onnxruntime's profile to files with this prefix (bench/profileStep.ts). */
  profilePrefix?: string;
}

const DEFAULT_CHUNK = 64;

/** An async function of (x, t, y) — ε_θ, or the classifier gradient — same tensors in, a new tensor out. */
export type AsyncXtyFn = (x: tf.Tensor, t: tf.Tensor1D, y: tf.Tensor1D) => Promise<tf.Tensor>;

/** An async classifier forward: features and logits, `t` exactly when the classifier is time-conditioned. */
export type AsyncClassifyFn = (x: tf.Tensor, t: tf.Tensor1D | null) => Promise<{ features: tf.Tensor2D; logits: tf.Tensor2D }>;

/** Owns the sessions of one network. */
export interface OnnxNetwork<F> {
  run: F;
  /** Releases every session. */
  release(): Promise<void>;
}

/** An onnxruntime session of `model` on `options.threads` intra-op threads (default engineThreads()). */
export async function createSession(o: Ort, model: Uint8Array, options: OrtOptions): Promise<Session> {
  const threads = checkThreads(options.threads ?? engineThreads(), 'onnxruntime threads');
  const interOp = checkThreads(options.interOp ?? 1, 'onnxruntime inter-op threads');
  const profiling = options.profilePrefix === undefined ? {} : { enableProfiling: true, profileFilePrefix: options.profilePrefix };
  return o.InferenceSession.create(model, {
    intraOpNumThreads: threads,
    interOpNumThreads: interOp,
    graphOptimizationLevel: 'all',
    executionMode: interOp > 1 ? 'parallel' : 'sequential',
    ...profiling,
  });
}

/** onnxruntime tensors over host arrays (no copy), float32 or int32 by the array's type. */
export function hostTensors(o: Ort, values: Record<string, { data: Float32Array | Int32Array; shape: readonly number[] }>): Record<string, InstanceType<Ort['Tensor']>> {
  return Object.fromEntries(Object.entries(values).map(([n, { data, shape }]) => [n, data instanceof Int32Array ? new o.Tensor('int32', data, shape) : new o.Tensor('float32', data, shape)]));
}

let nchwcBlock: Promise<number | undefined> | null = null;

/**
 * The channel block of onnxruntime's NCHWc kernels on this CPU (8 with AVX2, 16 with AVX-512), read
 * from what its ReorderInput makes of 4 channels; undefined where those kernels are missing.
 */
export function nchwcBlockSize(o: Ort): Promise<number | undefined> {
  nchwcBlock ??= (async () => {
    const g = new GraphBuilder();
    g.node('ReorderInput', [g.reserve('x')], {}, [g.reserve('y')], NCHWC_DOMAIN);
    const model = g.toModel('nchwc-probe', [{ name: 'x', type: 'float32', shape: [1, 4, 1, 1] }], [{ name: 'y', type: 'float32', shape: [1, -1, 1, 1] }]);
    try {
      const session = await createSession(o, model, { threads: 1 });
      try {
        const { y } = await session.run({ x: new o.Tensor('float32', new Float32Array(4), [1, 4, 1, 1]) });
        const block = y.dims[1];
        return block >= 4 && block % 4 === 0 ? block : undefined;
      } finally {
        await session.release();
      }
    } catch {
      return undefined;
    }
  })();
  return nchwcBlock;
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

export const ENGINE_CHOICES = ['auto', 'onnxruntime', 'tfjs'] as const;
export type EngineChoice = (typeof ENGINE_CHOICES)[number];

/**
 * onnxruntime, if the environment variable `variable` (or `preference`, which overrides it) wants
 * it: 'tfjs' never, 'onnxruntime' always (an error when it cannot load), 'auto' (default) when it
 * loads and tfjs runs on WebAssembly or plain JS — a native tfjs backend (tfjs-node, or tfjs-node-gpu
 * on a GPU) is kept, as onnxruntime-node runs on the CPU here.
 */
export async function ortIfWanted(variable: string, preference?: EngineChoice): Promise<Ort | null> {
  const wanted = preference ?? (process.env[variable] || 'auto');
  if (!(ENGINE_CHOICES as readonly string[]).includes(wanted)) throw new Error(`${variable} must be one of ${ENGINE_CHOICES.join(', ')}; got '${wanted}'`);
  if (wanted === 'tfjs' || (wanted === 'auto' && tf.getBackend() === 'tensorflow')) return null;
  const o = await loadOrt();
  if (!o && wanted === 'onnxruntime') throw new Error(`${variable} is onnxruntime, but onnxruntime-node cannot load on this machine`);
  return o;
}

async function requireOrt(): Promise<Ort> {
  const o = await loadOrt();
  if (!o) throw new Error('onnxruntime-node is not installed or cannot load on this machine');
  return o;
}

/** Feeds of one chunk: rows [start, start + n) of every input. */
type Feeds = (start: number, n: number) => Record<string, InstanceType<Ort['Tensor']>>;

/** Runs `feeds` over `total` rows in chunks and stitches each named output back together. */
async function runChunked(sessions: ReturnType<typeof sessionsFor>, total: number, chunk: number, feeds: Feeds, names: string[]): Promise<Record<string, tf.Tensor>> {
  const parts: Record<string, { data: Float32Array; dims: readonly number[] }[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let start = 0; start < total; start += chunk) {
    const n = Math.min(chunk, total - start);
    const out = await (await sessions.get(n)).run(feeds(start, n));
    for (const name of names) parts[name].push({ data: out[name].data as Float32Array, dims: out[name].dims });
  }
  return Object.fromEntries(
    names.map((name) => {
      const rowShape = parts[name][0].dims.slice(1);
      // tf.tensor copies its input, so one chunk's output needs no stitching copy first.
      let data = parts[name][0].data;
      if (parts[name].length > 1) {
        data = new Float32Array(parts[name].reduce((sum, p) => sum + p.data.length, 0));
        let offset = 0;
        for (const p of parts[name]) {
          data.set(p.data, offset);
          offset += p.data.length;
        }
      }
      return [name, tf.tensor(data, [total, ...rowShape], 'float32')];
    }),
  );
}

/**
 * A tfjs tensor read once (one copy out of tfjs), handing out rows [start, start + n) as
 * onnxruntime tensors that view that copy, so chunking costs no further copies.
 */
function rowsOf(o: Ort, t: tf.Tensor): (start: number, n: number) => InstanceType<Ort['Tensor']> {
  if (t.dtype !== 'float32' && t.dtype !== 'int32') throw new Error(`onnxruntime input of dtype ${t.dtype} is not supported (float32, int32)`);
  const data = t.dataSync() as Float32Array | Int32Array;
  const row = t.size / t.shape[0];
  const rest = t.shape.slice(1);
  return (start, n) => new o.Tensor(t.dtype as 'float32', data.subarray(start * row, (start + n) * row) as Float32Array, [n, ...rest]);
}

function chunkOf(options: OrtOptions): number {
  const chunk = options.chunk ?? DEFAULT_CHUNK;
  if (!Number.isInteger(chunk) || chunk < 1) throw new Error(`onnxruntime chunk must be a whole number ≥ 1, got ${chunk}`);
  return chunk;
}

/** A network of (x, t, y) with one output `name`, exported by `exportAt(batch)`. */
async function onnxXty(exportAt: (batch: number) => Uint8Array, name: string, options: OrtOptions): Promise<OnnxNetwork<AsyncXtyFn>> {
  const o = await requireOrt();
  const chunk = chunkOf(options);
  const sessions = sessionsFor(o, exportAt, options);
  return {
    run: async (x, t, y) => {
      const [xs, ts, ys] = [rowsOf(o, x), rowsOf(o, t), rowsOf(o, y)];
      const feeds: Feeds = (start, n) => ({ x: xs(start, n), t: ts(start, n), y: ys(start, n) });
      return (await runChunked(sessions, x.shape[0], chunk, feeds, [name]))[name];
    },
    release: sessions.release,
  };
}

/** ε_θ on onnxruntime, exported from the tfjs network `cfg` with weights `params` (which must stay alive while it is used). */
export const onnxEps = (cfg: EpsNetConfig, params: Params, options: OrtOptions = {}): Promise<OnnxNetwork<AsyncXtyFn>> =>
  onnxXty((batch) => exportEpsNet(cfg, params, batch), 'eps', options);

/** ∇_x Σ log f(y | x, t) of a noise-aware classifier on onnxruntime (classifier guidance's gradient). */
export const onnxGradLogProb = (cfg: ClassifierConfig, params: Params, options: OrtOptions = {}): Promise<OnnxNetwork<AsyncXtyFn>> =>
  onnxXty((batch) => exportGradLogProb(cfg, params, batch), 'grad', options);

/** A classifier (noise-aware or the evaluator) on onnxruntime. */
export async function onnxClassifier(cfg: ClassifierConfig, params: Params, options: OrtOptions = {}): Promise<OnnxNetwork<AsyncClassifyFn>> {
  const o = await requireOrt();
  const chunk = chunkOf(options);
  const sessions = sessionsFor(o, (batch) => exportClassifier(cfg, params, batch), options);
  return {
    run: async (x, t) => {
      if (cfg.timeConditioned !== (t !== null)) throw new Error(`classifier ${cfg.timeConditioned ? 'needs' : 'takes no'} timesteps`);
      const [xs, ts] = [rowsOf(o, x), t ? rowsOf(o, t) : null];
      const feeds: Feeds = (start, n) => {
        const f: ReturnType<Feeds> = { x: xs(start, n) };
        if (ts) f.t = ts(start, n);
        return f;
      };
      const out = await runChunked(sessions, x.shape[0], chunk, feeds, ['features', 'logits']);
      return { features: out.features as tf.Tensor2D, logits: out.logits as tf.Tensor2D };
    },
    release: sessions.release,
  };
}
