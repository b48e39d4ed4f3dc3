/**
 * `npx tsx workers/src/bench/profileStep.ts [--only <text>] [--steps N] [--top N]`: where an
 * onnxruntime training step spends its time. Exports the training step of every train case of
 * `npm run bench --quick` (or those whose id contains `--only`), runs it with onnxruntime's
 * profiler on, and prints the step's wall time, its node count, and per-op-type totals (summed
 * kernel time, share, node count) — the numbers the training-speed levers are judged on.
 * `--plain` times without the profiler (wall and process CPU ms per step, one line per case), for
 * interleaved before/after runs.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../engine/backend/index';
import { applyEps, classify, disposeParams, initParams, type ClassifierConfig, type EpsNetConfig } from '../engine/networks/index';
import { loadOrt } from '../engine/onnx/session';
import { engineThreads } from '../engine/backend/threads';
import { flatten, layoutOf } from '../engine/training/flat';
import { exportTrainStep } from '../engine/training/onnxStepEngine';
import { presentVectors, type HostBatch, type StepDefinition } from '../engine/training/update';
import { benchCases, type BenchCase } from './cases';
import { syntheticData } from './tfjsTasks';

interface ProfileEvent {
  cat: string;
  name: string;
  dur: number;
  args?: { op_name?: string };
}

/** Per-op-type totals (µs, nodes) of the kernel events of an onnxruntime profile, largest first. */
export function opTotals(events: ProfileEvent[], runs: number): { op: string; us: number; nodes: number }[] {
  const totals = new Map<string, { us: number; names: Set<string> }>();
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time') || !e.args?.op_name) continue;
    const t = totals.get(e.args.op_name) ?? { us: 0, names: new Set<string>() };
    t.us += e.dur / runs;
    t.names.add(e.name);
    totals.set(e.args.op_name, t);
  }
  return [...totals].map(([op, t]) => ({ op, us: t.us, nodes: t.names.size })).sort((a, b) => b.us - a.us);
}

function hostBatchOf(c: BenchCase): HostBatch {
  const data = syntheticData(c, c.batch);
  const shape = [c.batch, ...c.net.inputShape];
  const t = Int32Array.from({ length: c.batch }, (_, i) => (i * 37) % 1000);
  if (c.net.kind === 'classifier') return { x: { data: data.x, shape }, y: { data: data.y, shape: [c.batch] }, ...(c.net.timeConditioned ? { t: { data: t, shape: [c.batch] } } : {}) };
  return { x: { data: data.x, shape }, eps: { data: data.x.slice().reverse(), shape }, t: { data: t, shape: [c.batch] }, y: { data: data.y, shape: [c.batch] } };
}

function lossOf(c: BenchCase): StepDefinition['loss'] {
  if (c.net.kind === 'classifier') {
    const cfg = c.net as ClassifierConfig;
    return (p, b) => {
      const { logits } = classify(cfg, p, b.x, (b.t as tf.Tensor1D | undefined) ?? null);
      return tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits), tf.oneHot(b.y as tf.Tensor1D, cfg.classes)), 1))) as tf.Scalar;
    };
  }
  const cfg = c.net as EpsNetConfig;
  return (p, b) => tf.mean(tf.squaredDifference(b.eps, applyEps(cfg, p, b.x, b.t as tf.Tensor1D, b.y as tf.Tensor1D)));
}

async function main() {
  const argv = process.argv.slice(2);
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const only = arg('--only');
  const steps = Number(arg('--steps') ?? 10);
  const top = Number(arg('--top') ?? 12);
  const plain = argv.includes('--plain');
  await initBackend('wasm');
  const ort = await loadOrt();
  if (!ort) throw new Error('onnxruntime-node cannot load here');
  const cases = benchCases(true).filter((c) => c.task === 'train' && (!only || c.id.includes(only)));
  for (const c of cases) {
    const params = initParams(c.net, 0);
    const layout = layoutOf(params);
    const theta = flatten(params, layout);
    disposeParams(params);
    const w = { theta, m: tf.zerosLike(theta), v: tf.zerosLike(theta), ema: c.net.kind === 'classifier' ? null : tf.clone(theta) };
    const batch = hostBatchOf(c);
    const model = exportTrainStep({ layout, loss: lossOf(c) }, w, batch);
    const dir = mkdtempSync(join(tmpdir(), 'ort-profile-'));
    const session = await ort.InferenceSession.create(model, { intraOpNumThreads: engineThreads(), interOpNumThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential', enableProfiling: !plain, profileFilePrefix: join(dir, 'profile') });
    const feeds: Record<string, InstanceType<typeof ort.Tensor>> = { lr: new ort.Tensor('float32', Float32Array.of(1e-4), []), biasM: new ort.Tensor('float32', Float32Array.of(1), []), biasV: new ort.Tensor('float32', Float32Array.of(1), []) };
    if (w.ema) Object.assign(feeds, { keep: new ort.Tensor('float32', Float32Array.of(0.999), []), take: new ort.Tensor('float32', Float32Array.of(0.001), []) });
    for (const [n, t] of presentVectors(w)) feeds[n] = new ort.Tensor('float32', t.dataSync() as Float32Array, [t.size]);
    for (const [n, b] of Object.entries(batch)) feeds[n] = new ort.Tensor(b.data instanceof Int32Array ? 'int32' : 'float32', b.data as Float32Array, b.shape);
    await session.run(feeds); // warm-up
    const [start, cpu] = [performance.now(), process.cpuUsage()];
    for (let i = 0; i < steps; i++) await session.run(feeds);
    const ms = (performance.now() - start) / steps;
    const used = process.cpuUsage(cpu);
    if (plain) {
      console.log(`${c.id} batch ${c.batch}: wall ${ms.toFixed(1)} ms/step, cpu ${((used.user + used.system) / 1000 / steps).toFixed(1)} ms/step, ${(c.batch / (ms / 1000)).toFixed(0)} img/s`);
      await session.release();
      rmSync(dir, { recursive: true });
      tf.dispose(presentVectors(w).map(([, t]) => t));
      continue;
    }
    session.endProfiling();
    const events = JSON.parse(readFileSync(join(dir, readdirSync(dir)[0]), 'utf8')) as ProfileEvent[];
    rmSync(dir, { recursive: true });
    const totals = opTotals(events, steps + 1);
    const sum = totals.reduce((a, t) => a + t.us, 0);
    console.log(`\n${c.id} (batch ${c.batch}): ${ms.toFixed(1)} ms/step with profiling, ${(c.batch / (ms / 1000)).toFixed(0)} img/s; ${totals.reduce((a, t) => a + t.nodes, 0)} nodes; kernel time ${(sum / 1000).toFixed(1)} ms`);
    for (const t of totals.slice(0, top)) console.log(`  ${t.op.padEnd(24)} ${(t.us / 1000).toFixed(2).padStart(8)} ms  ${((100 * t.us) / sum).toFixed(1).padStart(5)}%  ${String(t.nodes).padStart(4)} nodes`);
    await session.release();
    tf.dispose(presentVectors(w).map(([, t]) => t));
  }
}

main().catch((error) => {
  console.error(`profile failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
