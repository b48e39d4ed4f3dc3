/**
 * `npm run bench [-- --quick] [-- --only <text>] [-- --rounds N] [-- --e2e]`: times the engine's
 * networks on every compute engine present — tfjs backends (threaded wasm, cpu, tfjs-node when
 * installed), onnxruntime, and PyTorch as the reference — prints one table and writes it to
 * bench-results/bench.json (an `--only` run: bench-partial.json; `--out` another file).
 * The engines are interleaved: each case runs on every engine in turn, for `--rounds` rounds (A/B/A/B),
 * so that a load change hits all of them alike; a row gives the median of its rounds, and its ratio
 * to PyTorch is the median (and min–max) of the per-round ratios.
 * `--only` keeps the cases whose id contains the text (e.g. "unet", "toy2d", "score") or, if no
 * case id matches, the engines whose name contains it (e.g. "onnx", "wasm").
 * `--e2e` adds the wall time of whole quick presets (e2e.ts; many minutes).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { registerGradients } from '../engine/backend/gradients';
import { configureWasm } from '../engine/backend/wasmSetup';
import { useThreadedWasm, wasmBatchCap } from '../engine/backend/wasmThreads';
import { applyEps, classify, disposeParams, flopsPerSample, initParams, type NetworkConfig } from '../engine/networks/index';
import { activationFloatsPerSample } from '../engine/onnx/trace';
import { loadOrt } from '../engine/onnx/session';
import { benchCases, type BenchCase } from './cases';
import { timeOnnx } from './onnxTasks';
import { renderTable, type BenchRow } from './table';
import { timeTfjs } from './tfjsTasks';
import { findTorchPython, numpyPeak, TorchServer } from './torchRef';
import { peakShareSpread, ratioSpread, slowBlasWarning, spread, type Timing, type TimingOptions } from './timing';
import { E2E_PRESETS, timePreset } from './e2e';
import { parseBenchArgs } from './args';

/** An engine that can time cases: a tfjs backend, onnxruntime, or PyTorch. */
interface Engine {
  name: string;
  /** Makes the engine current (tfjs backends); returns a note on how it runs. */
  activate(): Promise<string>;
  /** One timing of the case (`note`: how it ran, e.g. PyTorch's configuration); null when the engine does not do the task. */
  time(c: BenchCase): Promise<(Timing & { note?: string; flopsPerSample?: number }) | null>;
  /** Why a case is skipped on this engine, or null. */
  skip?(c: BenchCase): string | null;
  /** The case as this engine can run it (wasm: a batch that fits its heap), with a note when changed. */
  adjust?(c: BenchCase): { c: BenchCase; note?: string };
}

const threads = os.availableParallelism();

async function tfjsEngines(o: TimingOptions): Promise<Engine[]> {
  await registerGradients();
  configureWasm();
  const engines: Engine[] = [];
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const) {
    try {
      await import(/* @vite-ignore */ pkg);
      engines.push({ name: pkg === '@tensorflow/tfjs-node-gpu' ? 'tfjs-node-gpu' : 'tfjs-node', activate: async () => (await tf.setBackend('tensorflow'), 'libtensorflow'), time: (c) => timeTfjs(c, o) });
      break;
    } catch {
      // not installed: the row list simply has no native backend
    }
  }
  engines.push({
    name: 'tfjs-wasm',
    activate: async () => {
      const r = await useThreadedWasm({ threads });
      return r.threaded ? `threaded SIMD, ${r.threads} threads` : `single-thread SIMD (${r.reason})`;
    },
    time: (c) => timeTfjs(c, o),
    adjust: capForWasmHeap,
  });
  engines.push({
    name: 'tfjs-cpu',
    activate: async () => (await tf.setBackend('cpu'), 'plain JS'),
    time: (c) => timeTfjs(c, o),
    skip: (c) => (c.conv ? 'skipped: minutes/step' : null),
  });
  return engines;
}

const activations = new Map<string, number>();

/** Activation floats per sample of a network (traced once, on the current backend). */
function activationsOf(cfg: NetworkConfig): number {
  const key = JSON.stringify(cfg);
  if (!activations.has(key)) {
    const params = initParams(cfg, 0);
    const x = tf.zeros([1, ...cfg.inputShape]);
    const t = tf.zeros([1], 'int32') as tf.Tensor1D;
    activations.set(
      key,
      activationFloatsPerSample(() =>
        cfg.kind === 'classifier' ? classify(cfg, params, x, cfg.timeConditioned ? t : null) : applyEps(cfg, params, x, t, t),
      ),
    );
    tf.dispose([x, t]);
    disposeParams(params);
  }
  return activations.get(key)!;
}

/** Shrinks a case's batch to what the 4 GiB wasm heap holds (CFG runs the network on twice the batch). */
function capForWasmHeap(c: BenchCase): { c: BenchCase; note?: string } {
  const infer = wasmBatchCap(activationsOf(c.net), 'infer');
  const cap = {
    train: wasmBatchCap(activationsOf(c.net), 'train'),
    'sample-cfg': Math.floor(infer / 2),
    'sample-cg': Math.min(infer, c.classifier ? wasmBatchCap(activationsOf(c.classifier), 'train') : infer),
    score: infer,
  }[c.task];
  return c.batch <= cap ? { c } : { c: { ...c, batch: cap }, note: `batch ${c.batch} capped to ${cap} (wasm heap)` };
}

/** Float32 matmul GFLOP/s of tfjs on the current backend (1024², best of 3). */
function tfjsMatmulPeak(): number {
  const n = 1024;
  const [a, b] = [tf.randomNormal([n, n], 0, 1, 'float32', 1), tf.randomNormal([n, n], 0, 1, 'float32', 2)];
  let best = Infinity;
  for (let i = 0; i < 4; i++) {
    const start = performance.now();
    const c = tf.matMul(a, b);
    c.dataSync();
    c.dispose();
    if (i > 0) best = Math.min(best, performance.now() - start);
  }
  tf.dispose([a, b]);
  return (2 * n ** 3) / (best / 1000) / 1e9;
}

/** Forward FLOPs per sample of each distinct network (computed on the current backend). */
function forwardFlops(cases: BenchCase[]): Map<string, number> {
  const flops = new Map<string, number>();
  const of = (cfg: NetworkConfig) => {
    const key = JSON.stringify(cfg);
    if (!flops.has(key)) {
      const params = initParams(cfg, 0);
      flops.set(key, flopsPerSample(cfg, params));
      disposeParams(params);
    }
  };
  for (const c of cases) {
    of(c.net);
    if (c.classifier) of(c.classifier);
  }
  return flops;
}

/** FLOPs of one step: training ≈ 3× forward (forward + backward); CFG runs both branches; CG adds the classifier's forward and input gradient. */
function stepFlops(c: BenchCase, flops: Map<string, number>): number {
  const f = flops.get(JSON.stringify(c.net))!;
  const perSample = { train: 3 * f, 'sample-cfg': 2 * f, score: f, 'sample-cg': f + 2 * (c.classifier ? flops.get(JSON.stringify(c.classifier))! : 0) }[c.task];
  return perSample * c.batch;
}

/** A row from the per-round median times of one engine on one case and the peaks of those rounds (empty: the row did not run). */
function row(engine: string, c: BenchCase, rounds: number[], flops: number, peaks: number[], note?: string): BenchRow {
  const ms = rounds.length ? spread(rounds) : null;
  const gflops = ms === null ? null : flops / (ms.median / 1000) / 1e9;
  return {
    engine,
    caseId: c.id,
    network: c.network,
    task: c.task,
    batch: c.batch,
    ms: ms?.median ?? null,
    msRange: ms ? [ms.min, ms.max] : null,
    rounds: rounds.length,
    imagesPerSec: ms === null ? null : c.batch / (ms.median / 1000),
    gflops,
    peakShare: rounds.length ? peakShareSpread(flops, rounds, peaks).median : null,
    vsTorch: null,
    vsTorchRange: null,
    note,
  };
}

/** What one engine measured on one case, round by round. */
interface Measured {
  engine: Engine;
  run: BenchCase;
  rounds: number[];
  /** The matmul peak measured in each of those rounds. */
  peaks: number[];
  note?: string;
  flopsPerSample?: number;
}

async function main() {
  const args = parseBenchArgs(process.argv.slice(2));
  // Per engine and round: the median of a few runs (the rounds give the spread).
  const o: TimingOptions = args.quick ? { warmup: 1, minRuns: 2, maxRuns: 3, budgetMs: 3_000 } : { warmup: 1, minRuns: 3, maxRuns: 5, budgetMs: 8_000 };
  let cases = benchCases(args.quick);
  const only = args.only;
  const caseMatch = only ? cases.filter((c) => c.id.includes(only)) : cases;
  const engineFilter = only && caseMatch.length === 0 ? only : null;
  cases = caseMatch.length ? caseMatch : cases;

  const engines = await tfjsEngines(o);
  const ort = await loadOrt();
  if (ort) engines.push({ name: 'onnxruntime', activate: async () => (await tf.setBackend('wasm'), `onnxruntime-node, ${threads} threads (tfjs-wasm for glue)`), time: (c) => timeOnnx(c, o, threads) });
  const python = !engineFilter || 'pytorch'.includes(engineFilter) ? findTorchPython() : null;
  let torch: TorchServer | null = null;
  let torchNote = 'not installed';
  if (python) {
    console.log(`[bench] PyTorch reference via ${python} …`);
    try {
      const server = await TorchServer.start(python, threads);
      torch = server;
      engines.push({ name: 'pytorch', activate: async () => `${server.version}, ${server.threads} threads`, time: async (c) => {
          const t = await server.time(c, o);
          return { ...t, note: `best of its configurations: ${t.config}` };
        } });
    } catch (error) {
      torchNote = `failed: ${(error as Error).message}`;
    }
  }
  const selected = engines.filter((e) => !engineFilter || e.name.includes(engineFilter) || e.name === 'pytorch');
  if (!selected.length) throw new Error(`--only '${only}' matches no case id and no engine`);

  // FLOPs and the tfjs matmul rate on the fastest JS backend present (wasm).
  await tf.setBackend('wasm');
  await useThreadedWasm({ threads });
  const flops = forwardFlops(cases);
  // The peak is read again before every round of every case: the VM's speed drifts over a run.
  const machinePeaks = async (): Promise<Record<string, number>> => {
    if (torch) return torch.peaks(); // 'numpy' and 'torch'
    const np = numpyPeak();
    return np === null ? {} : { numpy: np };
  };
  const wasmPeak = tfjsMatmulPeak(); // a lower bound, once: the wasm backend is only the glue's
  const roundReads: Record<string, number>[] = [];
  const roundPeaks: number[] = [];

  const engineNotes: Record<string, string> = {};
  const measured = new Map<string, Measured>(); // by `${engine}|${case id}`
  const skipped: BenchRow[] = [];
  for (const c of cases) {
    for (let round = 0; round < args.rounds; round++) {
      const reads = await machinePeaks();
      const peak = Math.max(wasmPeak, ...Object.values(reads));
      roundReads.push(reads);
      roundPeaks.push(peak);
      for (const engine of selected) {
        const key = `${engine.name}|${c.id}`;
        const skip = engine.skip?.(c) ?? null;
        if (skip) {
          if (round === 0) skipped.push(row(engine.name, c, [], 0, [], skip));
          continue;
        }
        const activated = await engine.activate(); // every turn: the engines share tfjs's current backend
        engineNotes[engine.name] ??= activated;
        const { c: run, note } = engine.adjust?.(c) ?? { c };
        const t = await engine.time(run);
        if (!t) continue; // the engine does not do this task
        const m = measured.get(key) ?? { engine, run, rounds: [], peaks: [], note: note ?? t.note, flopsPerSample: t.flopsPerSample };
        m.rounds.push(t.ms);
        m.peaks.push(peak);
        measured.set(key, m);
        console.log(`[bench] round ${round + 1}/${args.rounds} ${engine.name} ${c.id}: ${t.ms.toFixed(1)} ms${note ? ` (${note})` : ''}`);
      }
    }
  }
  torch?.stop();

  const rows: BenchRow[] = [...skipped];
  const flopWarnings: string[] = [];
  for (const c of cases) {
    const ref = measured.get(`pytorch|${c.id}`);
    for (const m of [...measured.values()].filter((v) => v.run.id === c.id)) {
      const r = row(m.engine.name, m.run, m.rounds, stepFlops(m.run, flops), m.peaks, m.note);
      if (ref && m !== ref) {
        // Per round: our images/s over PyTorch's in the same round.
        const ratio = ratioSpread(m.rounds.map((ms) => m.run.batch / ms), ref.rounds.map((ms) => c.batch / ms));
        r.vsTorch = ratio.median;
        r.vsTorchRange = [ratio.min, ratio.max];
      }
      rows.push(r);
    }
    const ours = flops.get(JSON.stringify(c.net))!;
    if (ref?.flopsPerSample !== undefined && Math.abs(ref.flopsPerSample - ours) > 0.02 * ours) flopWarnings.push(`${c.id}: PyTorch counts ${ref.flopsPerSample} FLOPs/sample, the engine ${ours}`);
    if (!ref && (!engineFilter || 'pytorch'.includes(engineFilter))) rows.push(row('pytorch', c, [], 0, [], torchNote));
  }
  const order = new Map(cases.map((c, i) => [c.id, i]));
  rows.sort((a, b) => order.get(a.caseId)! - order.get(b.caseId)!);

  const e2e = args.e2e
    ? E2E_PRESETS.map((name) => {
        console.log(`[bench] end to end: ${name} (quick) …`);
        return { preset: name, size: 'quick', seconds: timePreset(name) / 1000 };
      })
    : [];

  const machine = { cpu: os.cpus()[0]?.model ?? 'unknown', cores: threads, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.arch()}`, loadAverage: os.loadavg() };
  console.log(`\nGuidance Lab bench — ${machine.cpu}, ${machine.cores} threads, Node ${machine.node}${args.quick ? ' (--quick)' : ''}; ${args.rounds} interleaved rounds; load average ${machine.loadAverage.map((l) => l.toFixed(2)).join(' ')}`);
  const p = roundPeaks.length ? spread(roundPeaks) : null;
  console.log(`float32 matmul peak ${p ? `${p.median.toFixed(1)} GFLOP/s, median of ${roundPeaks.length} reads, one before each round of each case (${p.min.toFixed(1)}–${p.max.toFixed(1)}); a row's % is against its own rounds' reads` : 'not measured'}; tfjs-wasm ${wasmPeak.toFixed(1)}; PyTorch: ${torch ? `${torch.version}, ${torch.threads} threads` : torchNote}\n`);
  console.log(renderTable(rows));
  for (const e of e2e) console.log(`end to end: ${e.preset} (${e.size}) ${e.seconds.toFixed(1)} s wall`);
  const blas = slowBlasWarning(roundReads, wasmPeak);
  const warnings = [...flopWarnings.map((w) => `FLOP count mismatch: ${w}`), ...(blas ? [blas] : [])];
  for (const w of warnings) console.warn(`[bench] ${w}`);

  const out = resolve(args.out);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), quick: args.quick, only, rounds: args.rounds, machine, timing: o, peakGflops: { rounds: roundPeaks, reads: roundReads, tfjsWasm: wasmPeak }, engines: engineNotes, torch: torch ? { python: torch.python, version: torch.version, threads: torch.threads } : torchNote, rows, e2e, warnings }, null, 2));
  console.log(`\n[bench] wrote ${out}`);
}

main().catch((error) => {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
