/**
 * The threaded-SIMD wasm build on all cores, in Node.
 *
 * tfjs-backend-wasm 4.22 turns threads off in Node (WASM_HAS_MULTITHREAD_SUPPORT is false there)
 * because its pthread worker would be a `blob:` URL, which Node's Worker cannot load. The build
 * itself runs fine when Emscripten is handed real file paths, so this module re-registers the
 * `wasm` backend with a factory that does exactly that (every kernel registered for `wasm`,
 * including the engine's own gradient kernels, keeps working: kernels are keyed by backend name).
 * It leans on tfjs internals (the wasm-out factory, BackendWasm, the cwrap table), so it is kept
 * here, alone, and falls back to the stock single-thread SIMD build on any failure.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { BackendWasm, getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { checkThreads, engineThreads } from './threads';

const require = createRequire(import.meta.url);
const PKG = '@tensorflow/tfjs-backend-wasm';

export interface WasmThreadsOptions {
  /** Threads for XNNPACK's pool; default: engineThreads() (GUIDANCE_THREADS or every core). */
  threads?: number;
  /** Override of the threaded build's files (tests point this at a missing file to force the fallback). */
  files?: Partial<ThreadedFiles>;
}

export interface WasmThreadsResult {
  /** True when the threaded-SIMD build is the active `wasm` backend. */
  threaded: boolean;
  /** Threads XNNPACK actually uses (1 on the fallback). */
  threads: number;
  /** Why the threaded build was not used, when it was not. */
  reason?: string;
}

interface ThreadedFiles {
  /** The Emscripten factory script (also imported by every pthread worker). */
  script: string;
  wasm: string;
}

function defaultFiles(): ThreadedFiles {
  const script = require.resolve(`${PKG}/wasm-out/tfjs-backend-wasm-threaded-simd.js`);
  return { script, wasm: join(dirname(script), 'tfjs-backend-wasm-threaded-simd.wasm') };
}

/**
 * The pthread worker ships only as a JS string; Node's Worker needs a file, so it is written once
 * to the temp folder under a name derived from its content (concurrent processes agree on it).
 * `.cjs` because the worker script uses `require` and `__filename`.
 */
function workerFile(): string {
  const { wasmWorkerContents } = require(`${PKG}/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js`) as { wasmWorkerContents: string };
  // The template literal it ships in turned the script's own "\\n" escapes into real newlines (tfjs re-escapes them too).
  const source = wasmWorkerContents.replace(/\n/g, '\\n');
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const folder = join(os.tmpdir(), 'guidance-lab');
  const file = join(folder, `tfjs-wasm-pthread-${hash}.cjs`);
  if (!existsSync(file)) {
    mkdirSync(folder, { recursive: true });
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, source);
    renameSync(partial, file);
  }
  return file;
}

function threadsSupported(): string | null {
  if (typeof SharedArrayBuffer === 'undefined') return 'SharedArrayBuffer is unavailable';
  // A minimal module with a shared memory and an atomic load (wasm-feature-detect's probe).
  const probe = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 5, 4, 1, 3, 1, 1, 10, 11, 1, 9, 0, 65, 0, 254, 16, 2, 0, 26, 11]);
  const wasm = (globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } }).WebAssembly;
  return wasm.validate(probe) ? null : 'WebAssembly threads are unsupported';
}

type EmscriptenModule = Record<string, any> & { cwrap: (name: string, ret: string | null, args: string[]) => unknown };

/** Loads the threaded build with real paths and wraps it the way tfjs's own `init()` does. */
async function createThreadedBackend(files: ThreadedFiles): Promise<BackendWasm> {
  for (const [field, path] of Object.entries(files)) {
    if (!existsSync(path)) throw new Error(`threaded wasm ${field} file not found: ${path}`);
  }
  const worker = workerFile();
  const factory = require(files.script) as (config: object) => Promise<EmscriptenModule>;
  const module = await new Promise<EmscriptenModule>((resolve, reject) => {
    factory({
      locateFile: (path: string) => (path.endsWith('.worker.js') ? worker : path.endsWith('.wasm') ? files.wasm : join(dirname(files.script), path)),
      mainScriptUrlOrBlob: files.script,
      onAbort: (what: unknown) => reject(new Error(`threaded wasm aborted: ${String(what)}`)),
    }).then(resolve, reject);
  });
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
  const backend = new BackendWasm(module as never);
  // XNNPACK's pool threads now live for the backend's lifetime; unref'd, they no longer keep Node
  // from exiting (Emscripten refs a worker while it runs a pthread, i.e. forever for a pool thread).
  for (const worker of (module.PThread?.runningWorkers ?? []) as { unref?: () => void }[]) worker.unref?.();
  return backend;
}

/**
 * The C++ side caps XNNPACK's pool at half of `emscripten_num_logical_cores()`, which in Node is
 * `os.cpus().length`, read while the module starts (it assumes hyper-threads); reporting twice
 * the wanted count until the backend is built makes the cap equal the request.
 */
async function withReportedCores<T>(cores: number, run: () => Promise<T>): Promise<T> {
  const real = os.cpus;
  const list = real();
  os.cpus = () => Array.from({ length: cores }, (_, i) => list[i % list.length]);
  try {
    return await run();
  } finally {
    os.cpus = real;
  }
}

/** Replaces the `wasm` backend's factory and makes it current; resolves false if it failed to start. */
async function activate(factory: () => Promise<tf.KernelBackend>): Promise<boolean> {
  if (tf.findBackendFactory('wasm')) tf.removeBackend('wasm');
  tf.registerBackend('wasm', factory, 2);
  return tf.setBackend('wasm');
}

type BackendFactory = () => tf.KernelBackend | Promise<tf.KernelBackend>;
let stockFactory: BackendFactory | null = null;

/**
 * Makes `wasm` the current backend on the threaded-SIMD build with `threads` threads; on any
 * failure falls back to the stock build (SIMD, one thread) and says why. Call before any tensor
 * lives on `wasm` (switching disposes the old wasm backend's memory).
 */
export async function useThreadedWasm(options: WasmThreadsOptions = {}): Promise<WasmThreadsResult> {
  const threads = checkThreads(options.threads ?? engineThreads(), 'wasm threads');
  if (current && current.options === JSON.stringify(options) && (await tf.setBackend('wasm'))) return current.result;
  stockFactory ??= tf.findBackendFactory('wasm') as BackendFactory | null;
  if (!stockFactory) throw new Error('the wasm backend is not registered: import @tensorflow/tfjs-backend-wasm first');

  const unsupported = threads === 1 ? 'one thread requested' : threadsSupported();
  let reason = unsupported ?? undefined;
  if (!unsupported) {
    setThreadsCount(threads);
    const files = { ...defaultFiles(), ...options.files };
    let failure: unknown = null;
    const ok = await activate(async () => {
      try {
        return await withReportedCores(2 * threads, () => createThreadedBackend(files));
      } catch (error) {
        failure = error;
        throw error;
      }
    }).catch((error) => {
      failure ??= error;
      return false;
    });
    if (ok) return remember(options, { threaded: true, threads: getThreadsCount() });
    reason = failure instanceof Error ? failure.message : `threaded wasm failed to start: ${String(failure)}`;
  }
  setThreadsCount(1);
  const stock = stockFactory;
  if (!(await activate(async () => stock()))) throw new Error(`the stock wasm backend failed to start too (threaded build: ${reason})`);
  return remember(options, { threaded: false, threads: getThreadsCount(), reason });
}

/** The last activation: asking again with the same options just makes that backend current. */
let current: { options: string; result: WasmThreadsResult } | null = null;

function remember(options: WasmThreadsOptions, result: WasmThreadsResult): WasmThreadsResult {
  current = { options: JSON.stringify(options), result };
  return result;
}

/** Heap the activations of one step may use: the wasm heap is 32-bit (4 GiB), less room for weights, optimiser state and fragmentation. */
const HEAP_BUDGET_BYTES = 3 * 2 ** 30;
/**
 * Heap bytes per activation float, measured on the threaded build for the 32/64/64 U-Net: a
 * training step took 22 MiB per sample for 13.4 MiB of forward activations (×1.65, rounded up to 2
 * for headroom); a forward pass inside tf.tidy 9.4 MiB (×0.7, rounded up to 0.8), since tidy
 * frees nothing before the pass ends.
 */
const BYTES_PER_ACTIVATION_FLOAT = { train: 4 * 2, infer: 4 * 0.8 } as const;

/**
 * The largest batch (samples per network call) whose step keeps the wasm heap safe, from the
 * network's activation floats per sample (onnx/trace.ts activationFloatsPerSample). Classifier-free
 * guidance calls the network on 2n samples, so it may sample at most half this per batch.
 */
export function wasmBatchCap(activationFloatsPerSample: number, mode: 'train' | 'infer'): number {
  if (!(activationFloatsPerSample > 0)) throw new Error(`activationFloatsPerSample must be a positive number, got ${activationFloatsPerSample}`);
  return Math.max(1, Math.floor(HEAP_BUDGET_BYTES / (activationFloatsPerSample * BYTES_PER_ACTIVATION_FLOAT[mode])));
}
