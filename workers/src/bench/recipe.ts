/**
 * `npx tsx workers/src/bench/recipe.ts [--only <id,...>] [--out <dir>] [--models <dir>] [--evaluator <ClassifierSpec JSON>] [--eta <η>] [--train-only]`:
 * quality per CPU-minute of MNIST ε-net recipes. Trained models are cached in `--models` (default
 * `<out>/models`) by content hash, so a second process can train recipes (`--train-only`: no
 * evaluator, no scoring) while the first trains the evaluator, and a later run scores them.
 * Trains the evaluator once (its held-out accuracy is printed: the scores are only as good as it),
 * then per recipe trains a classifier-free ε-net (p_uncond 0.1), measures the process's CPU time of
 * training (process.cpuUsage: user + system of every thread, so other processes' load barely
 * counts), the per-t loss of the raw and EMA weights on held-out digits, and samples 20 digits per
 * class with DDIM (η from `--eta`, default 0) at s = 1, 3 and 10 from the EMA (and, at s = 1, the raw)
 * weights, scored by the evaluator. Writes `<out>/<id>.json` and sample grids `<out>/<id>-<weights>-s<s>.png`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs as parseCli } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import type { DatasetSpec, ModelConfig, SweepSpec } from '@guidance-lab/experiments';
import { contentHash, METHOD_DEFAULTS } from '@guidance-lab/experiments';
import { initBackend } from '../engine/backend/index';
import { loadEpsNet, loadEvaluator, readCheckpoint, writeCheckpoint } from '../engine/checkpoint';
import { applyEps } from '../engine/networks/index';
import { datasetFor, sampleAndScore, trainModel, type RunSettings } from '../engine/pipeline';
import { makeSchedule } from '../engine/schedules/index';
import { fillNormal, mulberry32 } from '../engine/random';
import { classifierFree } from '../engine/guidance/index';
import { adherence } from '../engine/metrics/index';
import { sampleDdim } from '../engine/samplers/index';
import { imageGrid } from '../engine/render/index';
import type { NoiseSchedule } from '../engine/types';
import { recipes, type Recipe } from './recipes';

const dataset: DatasetSpec = { kind: 'mnist', testPerClass: 200, seed: 0 };
const schedule: SweepSpec['schedule'] = { kind: 'cosine', T: 1000 };
const evaluatorSpec: SweepSpec['evaluator'] = { hidden: 128, depth: 3, channels: [16, 32], steps: 1000, batchSize: 64, learningRate: 1e-3 };

function parseArgs(argv: string[]) {
  const { values } = parseCli({
    args: argv,
    options: { only: { type: 'string' }, out: { type: 'string', default: 'bench-results/recipes' }, models: { type: 'string' }, evaluator: { type: 'string' }, eta: { type: 'string', default: '0' }, 'train-only': { type: 'boolean', default: false } },
  });
  const eta = Number(values.eta);
  if (!(eta >= 0 && eta <= 1)) throw new Error(`--eta must be a number from 0 to 1, got ${values.eta}`);
  return { only: values.only?.split(',') ?? null, out: values.out, models: values.models ?? null, evaluator: values.evaluator ?? null, eta, trainOnly: values['train-only'] };
}

const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** Trains `config` (or reads it from `models`), returning the checkpoint and the CPU/wall seconds it took. */
async function trained(config: ModelConfig, models: string): Promise<{ checkpoint: Uint8Array; cpu: number; wall: number }> {
  const file = join(models, `${contentHash(config)}.ckpt`);
  const timing = `${file}.time.json`;
  if (existsSync(file) && existsSync(timing)) return { checkpoint: new Uint8Array(readFileSync(file)), ...JSON.parse(readFileSync(timing, 'utf8')) };
  const [c0, w0] = [cpuSeconds(), performance.now()];
  const { checkpoint } = await trainModel(config, { onProgress: (p) => p.done % Math.max(1, Math.round(p.total / 10)) === 0 && console.error(`${p.phase} ${p.done}/${p.total} loss ${p.loss?.toFixed(4)} ${(cpuSeconds() - c0).toFixed(0)} CPU-s`) });
  const times = { cpu: cpuSeconds() - c0, wall: (performance.now() - w0) / 1000 };
  mkdirSync(models, { recursive: true });
  writeFileSync(file, checkpoint);
  writeFileSync(timing, JSON.stringify(times));
  return { checkpoint, ...times };
}

/** Held-out accuracy of the evaluator (argmax of its softmax against the label). */
function evaluatorAccuracy(bytes: Uint8Array): number {
  const { test } = datasetFor(dataset);
  const evaluator = loadEvaluator(bytes);
  const n = test.y.length;
  const x = tf.tensor(test.x, [n, ...test.shape]);
  const { probs, features } = evaluator.evaluate(x);
  const predicted = tf.argMax(probs, 1).dataSync();
  tf.dispose([x, probs, features]);
  evaluator.dispose();
  return Array.from(predicted).reduce((hits: number, c, i) => hits + (c === test.y[i] ? 1 : 0), 0) / n;
}

/** The checkpoint with its EMA copy dropped, so loading it samples the raw weights. */
function rawWeights(bytes: Uint8Array): Uint8Array {
  const state = readCheckpoint(bytes);
  state.ema?.forEach((t) => t.dispose());
  return writeCheckpoint({ ...state, ema: null });
}

/** Mean ‖ε − ε̂‖²/d on 200 held-out digits per t-bin (t = 0..T−1 split into 5 equal bins). */
function perTLoss(bytes: Uint8Array, useEma: boolean): number[] {
  const state = readCheckpoint(bytes);
  const params = useEma && state.ema ? state.ema : state.params;
  const { test } = datasetFor(dataset);
  const s = makeSchedule(schedule);
  const dim = test.x.length / test.y.length;
  const n = 200;
  const bins = 5;
  const rand = mulberry32(1234);
  const out: number[] = [];
  for (let b = 0; b < bins; b++) {
    const x = new Float32Array(n * dim);
    const eps = new Float32Array(n * dim);
    fillNormal(eps, rand);
    const t = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const row = (i * 7) % test.y.length;
      t[i] = Math.floor(((b + rand()) * s.T) / bins);
      const ab = s.alphasCumprod[t[i]];
      for (let j = 0; j < dim; j++) x[i * dim + j] = Math.sqrt(ab) * test.x[row * dim + j] + Math.sqrt(1 - ab) * eps[i * dim + j];
    }
    const y = Int32Array.from({ length: n }, (_, i) => test.y[(i * 7) % test.y.length]);
    const loss = tf.tidy(() => {
      const pred = applyEps(state.config as Parameters<typeof applyEps>[0], params, tf.tensor(x, [n, ...test.shape]), tf.tensor1d(t, 'int32'), tf.tensor1d(y, 'int32'));
      return tf.mean(tf.squaredDifference(pred, tf.tensor(eps, [n, ...test.shape]))).dataSync()[0];
    });
    out.push(Number(loss.toFixed(4)));
  }
  for (const ps of [state.params, state.ema, state.adamM, state.adamV]) ps?.forEach((t) => t.dispose());
  return out;
}

/**
 * The sampler's first step: DDIM from t = T−1 (ᾱ = 2.4e-9 under the cosine schedule, so x̂₀ is the
 * ε-error times 2·10⁴, clipped) against starting at t = 950 (improved-diffusion's "ddim20" spacing),
 * with and without clipping x̂₀; s = 1, 20 per class, tfjs inference. Returns adherence per variant.
 */
async function samplerVariants(bytes: Uint8Array, evaluator: Uint8Array, out: string, id: string): Promise<Record<string, number>> {
  const full = makeSchedule(schedule);
  const cut = (T: number): NoiseSchedule => ({ ...full, T, betas: full.betas.slice(0, T), alphas: full.alphas.slice(0, T), alphasCumprod: full.alphasCumprod.slice(0, T) });
  const net = loadEpsNet(bytes);
  const ev = loadEvaluator(evaluator);
  const { test } = datasetFor(dataset);
  const labels = Int32Array.from({ length: 200 }, (_, i) => Math.floor(i / 20));
  const result: Record<string, number> = {};
  for (const [name, sch, clip] of [['from999-clip', full, 1], ['from999-noclip', full, null], ['from950-clip', cut(951), 1]] as const) {
    const rule = classifierFree(async (x, t, y) => net.eps(x, t, y), 1, net.nullLabel);
    const x = await sampleDdim({ schedule: sch, rule, shape: test.shape, labels, steps: 20, seed: 0, clip });
    const { probs, features } = ev.evaluate(x);
    const p = probs.dataSync() as Float32Array;
    result[name] = adherence({ data: p, rows: 200, cols: 10 }, labels);
    const xs = x.dataSync() as Float32Array;
    const rows = new Float32Array(10 * 8 * 784);
    for (let c = 0; c < 10; c++) rows.set(xs.subarray(c * 20 * 784, (c * 20 + 8) * 784), c * 8 * 784);
    writeFileSync(join(out, `${id}-sampler-${name}.png`), imageGrid(rows, [28, 28, 1], 10, 8, { scale: 2 }));
    tf.dispose([x, probs, features]);
  }
  net.dispose();
  ev.dispose();
  return result;
}

const epsConfig = (r: Recipe): ModelConfig => ({ kind: 'eps', dataset, schedule, model: r.model, training: r.training, pUncond: 0.1, seed: 0 });

async function runRecipe(r: Recipe, evaluator: Uint8Array, out: string, models: string, eta: number) {
  const { checkpoint, cpu, wall } = await trained(epsConfig(r), models);
  const trainedModels = (eps: Uint8Array) => ({ eps, classifier: null, evaluator });
  const point = (scale: number, steps: number): RunSettings => ({ method: 'classifier-free', methodParams: METHOD_DEFAULTS['classifier-free'], pUncond: 0.1, scale, seed: 0, sampler: { kind: 'ddim', steps, eta }, samplesPerClass: 20 });
  const etaSuffix = eta ? `-eta${eta}` : '';
  const samples: Record<string, { adherence: number; fid: number; is: number }> = {};
  const raw = rawWeights(checkpoint);
  for (const [label, eps, scale, steps] of [
    ['ema', checkpoint, 1, 20],
    ['ema', checkpoint, 3, 20],
    ['ema', checkpoint, 10, 20],
    ['raw', raw, 1, 20],
    ...(r.ddim100 ? [['ema', checkpoint, 1, 100] as const] : []),
  ] as const) {
    const res = await sampleAndScore(point(scale, steps), { dataset, schedule }, trainedModels(eps));
    const name = `${label}-s${scale}-ddim${steps}${etaSuffix}`;
    samples[name] = { adherence: res.metrics.adherence, fid: Number(res.metrics.fid.toFixed(2)), is: Number(res.metrics.is.toFixed(3)) };
    writeFileSync(join(out, `${r.id}-${name}.png`), res.grid.png);
  }
  const sampler = r.ddim100 ? await samplerVariants(checkpoint, evaluator, out, r.id) : undefined;
  const row = { id: r.id, model: r.model, training: r.training, eta, sampler, cpuSeconds: Number(cpu.toFixed(1)), imagesPerCpuSecond: Math.round((r.training.steps * r.training.batchSize) / cpu), wallSeconds: Number(wall.toFixed(1)), lossEma: perTLoss(checkpoint, true), lossRaw: perTLoss(checkpoint, false), samples };
  writeFileSync(join(out, `${r.id}${etaSuffix}.json`), JSON.stringify(row, null, 2));
  return row;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  mkdirSync(args.out, { recursive: true });
  await initBackend('wasm');
  const models = args.models ?? join(args.out, 'models');
  const chosen = recipes.filter((x) => !args.only || args.only.includes(x.id));
  if (args.trainOnly) {
    for (const r of chosen) console.log(JSON.stringify({ id: r.id, ...(await trained(epsConfig(r), models)), checkpoint: undefined }));
    return;
  }
  const evalSpec = args.evaluator ? { ...evaluatorSpec, ...JSON.parse(args.evaluator) } : evaluatorSpec;
  const ev = await trained({ kind: 'evaluator', dataset, classifier: evalSpec, seed: 0 }, models);
  console.log(`evaluator ${JSON.stringify(evalSpec)}: held-out accuracy ${evaluatorAccuracy(ev.checkpoint).toFixed(4)}, ${ev.cpu.toFixed(0)} CPU-s`);
  for (const r of chosen) {
    const row = await runRecipe(r, ev.checkpoint, args.out, models, args.eta);
    console.log(JSON.stringify(row));
  }
}

await main();
