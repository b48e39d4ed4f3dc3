/**
 * The two jobs a sweep is made of, joining the engine's parts in the open: train one model from its
 * config, and sample one grid point with its guidance rule and score the samples. The CLI and the
 * worker call these; neither knows about tensors.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import type { DatasetSpec, ModelConfig, RunPoint, SampleSet, SweepSpec } from '@guidance-lab/experiments';
import { canonicalJson, sampleValues, storedSamples } from '@guidance-lab/experiments';
import { activeBackend } from './backend/index';
import { loadEpsNet, loadEvaluator, loadNoisyClassifier, type CurvePoint } from './checkpoint';
import { loadDataset } from './data/index';
import { makeGuidance } from './guidance/index';
import { openEvaluator, openInference, type Inference } from './inference';
import { adherence, frechetFromStats, gaussianStats, inceptionScore, kernelInceptionDistance, manifoldRadii, polynomialKernel, precisionRecall, type GaussianStats, type RowMatrix } from './metrics/index';
import { imageGrid, scatterGrid } from './render/index';
import { getSampler } from './samplers/index';
import { makeSchedule } from './schedules/index';
import { trainClassifier, trainEpsNet } from './training/index';
import type { DatasetSplit, Metrics, ProgressFn } from './types';

/** The workers package's version labels every result (the API reads the same field). */
export const ENGINE_VERSION: string = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;

/** Samples per class drawn in a run's grid (the first ones, so every scale shows the same seeds). */
export const GRID_COLUMNS = 8;

/** Datasets are pure functions of their spec; keep the last few in memory across jobs. */
const datasets = new Map<string, DatasetSplit>();
export function datasetFor(spec: DatasetSpec): DatasetSplit {
  const key = canonicalJson(spec);
  let data = datasets.get(key);
  if (!data) {
    data = loadDataset(spec);
    if (datasets.size >= 4) datasets.delete(datasets.keys().next().value!);
    datasets.set(key, data);
  }
  return data;
}

export interface TrainOptions {
  /** The last checkpoint's bytes: training resumes from it. */
  resume?: Uint8Array | null;
  onProgress?: ProgressFn;
  onCheckpoint?: (checkpoint: Uint8Array, step: number, curve: CurvePoint[]) => Promise<void>;
  signal?: AbortSignal;
}

export interface TrainResult {
  checkpoint: Uint8Array;
  weightsHash: string;
  curve: CurvePoint[];
  backend: string;
}

export async function trainModel(config: ModelConfig, opts: TrainOptions = {}): Promise<TrainResult> {
  const data = datasetFor(config.dataset).train;
  const common = { data, seed: config.seed, resume: opts.resume ?? undefined, onProgress: opts.onProgress, onCheckpoint: opts.onCheckpoint, signal: opts.signal };
  const need = <T>(value: T | undefined, field: string): T => {
    if (value === undefined) throw new Error(`model config (${config.kind}) is missing ${field}`);
    return value;
  };
  let result;
  switch (config.kind) {
    case 'eps':
      result = await trainEpsNet({
        ...common,
        schedule: makeSchedule(need(config.schedule, 'schedule')),
        model: need(config.model, 'model'),
        training: need(config.training, 'training'),
        pUncond: need(config.pUncond, 'pUncond'),
      });
      break;
    case 'noisy-classifier':
      result = await trainClassifier({ ...common, schedule: makeSchedule(need(config.schedule, 'schedule')), classifier: need(config.classifier, 'classifier') });
      break;
    case 'evaluator':
      result = await trainClassifier({ ...common, schedule: null, classifier: need(config.classifier, 'classifier') });
      break;
  }
  return { ...result, backend: backendLabel(result.engine === 'onnxruntime') };
}

/** What ran the networks: the tfjs backend, plus onnxruntime where it ran them (models exported from tfjs). */
const backendLabel = (onnxruntime: boolean) => `${activeBackend() ?? 'unknown'}${onnxruntime ? '+onnxruntime' : ''}`;

export interface RunModels {
  eps: Uint8Array;
  classifier: Uint8Array | null;
  evaluator: Uint8Array;
}

export interface SampleGridImage {
  png: Uint8Array;
  /** Rows = classes; cols = samples per class shown; cellSize = pixels of one cell. */
  rows: number;
  cols: number;
  cellSize: number;
  classNames: string[];
}

/** The evaluator's verdict on each sample: its most probable class and that class's softmax probability. */
export interface SamplePredictions {
  predicted: Int32Array;
  confidence: Float32Array;
}

/** A sample set's scores under one evaluator. */
export interface Scores {
  metrics: Metrics;
  n: number;
  evaluatorHash: string;
  referenceSet: string;
  predictions: SamplePredictions;
  backend: string;
}

export interface RunResult extends Scores {
  grid: SampleGridImage;
  /** Every sample as stored (images 8-bit): the metrics are computed from exactly these values. */
  samples: SampleSet;
}

export type RunSettings = Pick<RunPoint, 'guidance' | 'pUncond' | 'scale' | 'seed' | 'sampler' | 'samplesPerClass'>;

/** Evaluator outputs on a batch of samples, read back to float arrays. */
async function evaluate(run: Inference['evaluate'], x: Float32Array, shape: number[], batch = 500) {
  const n = x.length / shape.reduce((a, b) => a * b, 1);
  const dim = x.length / n;
  let features: Float32Array | null = null;
  let probs: Float32Array | null = null;
  let featureDim = 0;
  let classes = 0;
  for (let i = 0; i < n; i += batch) {
    const m = Math.min(batch, n - i);
    const input = tf.tensor(x.subarray(i * dim, (i + m) * dim), [m, ...shape]);
    let out;
    try {
      out = await run(input);
    } finally {
      input.dispose();
    }
    const { features: f, probs: p } = out;
    featureDim = f.shape[1];
    classes = p.shape[1];
    features ??= new Float32Array(n * featureDim);
    probs ??= new Float32Array(n * classes);
    features.set(f.dataSync(), i * featureDim);
    probs.set(p.dataSync(), i * classes);
    f.dispose();
    p.dispose();
  }
  return { features: { data: features!, rows: n, cols: featureDim } as RowMatrix, probs: { data: probs!, rows: n, cols: classes } as RowMatrix };
}

/** k of the k-NN balls in precision/recall (Kynkäänniemi et al.'s default). */
const PR_K = 3;

/**
 * The reference set's evaluator features and everything the metrics derive from them alone (FID's
 * statistics, the k-NN radii, KID's kernel when it fits in memory), once per evaluator and dataset.
 */
const references = new Map<string, { features: RowMatrix; stats: GaussianStats; radii: Float64Array; kernel?: Float64Array }>();
async function referenceFor(evaluatorHash: string, run: Inference['evaluate'], dataset: DatasetSpec, test: DatasetSplit['test']) {
  const key = `${evaluatorHash}:${canonicalJson(dataset)}`;
  let ref = references.get(key);
  if (!ref) {
    const { features } = await evaluate(run, test.x, test.shape);
    // 4000 reference points make a 128 MB kernel; larger sets are sampled per KID subset instead.
    ref = { features, stats: gaussianStats(features), radii: manifoldRadii(features, PR_K), kernel: features.rows <= 4000 ? polynomialKernel(features) : undefined };
    if (references.size >= 4) references.delete(references.keys().next().value!);
    references.set(key, ref);
  }
  return ref;
}

/**
 * Rows reordered so that classes interleave (sample j of every class, then j + 1, …). Samples are
 * drawn class by class, and IS's 10 splits must each see every class or p(y) collapses per split.
 */
function interleaveClasses(m: RowMatrix, classes: number, perClass: number): RowMatrix {
  const data = new Float32Array(m.data.length);
  for (let c = 0; c < classes; c++) {
    for (let j = 0; j < perClass; j++) data.set(m.data.subarray((c * perClass + j) * m.cols, (c * perClass + j + 1) * m.cols), (j * classes + c) * m.cols);
  }
  return { data, rows: m.rows, cols: m.cols };
}

/** The first GRID_COLUMNS samples of every class, class by class. */
function gridRows(x: Float32Array, dim: number, classes: number, perClass: number, cols: number): Float32Array {
  const out = new Float32Array(classes * cols * dim);
  for (let c = 0; c < classes; c++) {
    for (let j = 0; j < cols; j++) out.set(x.subarray((c * perClass + j) * dim, (c * perClass + j + 1) * dim), (c * cols + j) * dim);
  }
  return out;
}

function renderGrid(x: Float32Array, labels: Int32Array, data: DatasetSplit, perClass: number): SampleGridImage {
  const { shape, classes, classNames } = data.test;
  if (shape.length === 1) {
    const png = scatterGrid(x, labels, classes, { reference: data.test.x });
    return { png, rows: classes, cols: 1, cellSize: 160, classNames };
  }
  const cols = Math.min(GRID_COLUMNS, perClass);
  const dim = shape.reduce((a, b) => a * b, 1);
  const scale = 2;
  const png = imageGrid(gridRows(x, dim, classes, perClass, cols), shape as [number, number, number], classes, cols, { scale });
  return { png, rows: classes, cols, cellSize: shape[0] * scale, classNames };
}

/** Sample one grid point with its guidance rule, then score the samples against the held-out set. */
export async function sampleAndScore(
  point: RunSettings,
  setup: { dataset: DatasetSpec; schedule: SweepSpec['schedule'] },
  models: RunModels,
  opts: { onProgress?: ProgressFn; signal?: AbortSignal } = {},
): Promise<RunResult> {
  const data = datasetFor(setup.dataset);
  const { classes, shape } = data.test;
  const schedule = makeSchedule(setup.schedule);
  const epsNet = loadEpsNet(models.eps);
  const classifier = models.classifier ? loadNoisyClassifier(models.classifier) : null;
  const evaluator = loadEvaluator(models.evaluator);
  const image = shape.length === 3;
  let inference: Inference | null = null;
  try {
    if (point.guidance === 'classifier' && !classifier) throw new Error('classifier guidance needs a noise-aware classifier checkpoint');
    inference = await openInference(epsNet, evaluator, point.guidance === 'classifier' ? classifier : null, image);
    // An unconditional ε-net (p_uncond = 1) only ever saw ∅, so it is asked with ∅.
    const unconditional = point.pUncond === 1;
    const labels = new Int32Array(classes * point.samplesPerClass).map((_, i) => Math.floor(i / point.samplesPerClass));
    const rule = makeGuidance(point.guidance, {
      eps: inference.eps,
      scale: point.scale,
      nullLabel: epsNet.nullLabel,
      gradLogProb: inference.gradLogProb ?? undefined,
      unconditionalEps: unconditional,
    });
    const sampled = await getSampler(point.sampler.kind)({
      schedule,
      rule,
      shape,
      labels,
      steps: point.sampler.steps,
      eta: point.sampler.eta,
      seed: point.seed,
      clip: image ? 1 : null,
      batchSize: inference.samplerBatch,
      onProgress: (p) => opts.onProgress?.({ ...p, phase: 'sampling' }),
      signal: opts.signal,
    });
    const x = sampled.dataSync() as Float32Array;
    sampled.dispose();
    const samples = storedSamples(x, shape, labels, point.seed);

    opts.onProgress?.({ phase: 'scoring', done: 0, total: 1 });
    const scores = await scoreSamples(samples, setup.dataset, inference.evaluate, evaluator.hash);
    opts.onProgress?.({ phase: 'scoring', done: 1, total: 1 });
    return { ...scores, backend: backendLabel(inference.engine === 'onnxruntime'), grid: renderGrid(x, labels, data, point.samplesPerClass), samples };
  } finally {
    await inference?.release();
    epsNet.dispose();
    classifier?.dispose();
    evaluator.dispose();
  }
}

function predictionsOf(probs: RowMatrix): SamplePredictions {
  const predicted = new Int32Array(probs.rows);
  const confidence = new Float32Array(probs.rows);
  for (let i = 0; i < probs.rows; i++) {
    const row = probs.data.subarray(i * probs.cols, (i + 1) * probs.cols);
    for (let c = 1; c < probs.cols; c++) if (row[c] > row[predicted[i]]) predicted[i] = c;
    confidence[i] = row[predicted[i]];
  }
  return { predicted, confidence };
}

/**
 * Scores stored samples against the held-out set. Samples come class by class, equally many per
 * class; KID's subsets are seeded with the run seed. Sampling and re-scoring both go through here,
 * so the same samples and evaluator give the same numbers.
 */
async function scoreSamples(samples: SampleSet, dataset: DatasetSpec, run: Inference['evaluate'], evaluatorHash: string): Promise<Omit<Scores, 'backend'>> {
  const data = datasetFor(dataset);
  const { classes } = data.test;
  const n = samples.y.length;
  const ref = await referenceFor(evaluatorHash, run, dataset, data.test);
  const gen = await evaluate(run, sampleValues(samples), samples.shape);
  const is = inceptionScore(interleaveClasses(gen.probs, classes, n / classes), 10);
  const kid = kernelInceptionDistance(ref.features, gen.features, { seed: samples.seed, realKernel: ref.kernel });
  const pr = precisionRecall(ref.features, gen.features, PR_K, ref.radii);
  const metrics: Metrics = {
    fid: frechetFromStats(ref.stats, gaussianStats(gen.features)),
    is: is.mean,
    isStd: is.std,
    kid: kid.mean,
    precision: pr.precision,
    recall: pr.recall,
    adherence: adherence(gen.probs, samples.y),
  };
  return { metrics, n, evaluatorHash, referenceSet: `${data.name}:test:${data.test.y.length}`, predictions: predictionsOf(gen.probs) };
}

/** Scores a run's stored samples again with an evaluator (the one that scored them, or another), without sampling. */
export async function rescoreSamples(samples: SampleSet, dataset: DatasetSpec, evaluatorCheckpoint: Uint8Array, opts: { onProgress?: ProgressFn } = {}): Promise<Scores> {
  const evaluator = loadEvaluator(evaluatorCheckpoint);
  let scorer: Awaited<ReturnType<typeof openEvaluator>> | null = null;
  try {
    scorer = await openEvaluator(evaluator);
    opts.onProgress?.({ phase: 'scoring', done: 0, total: 1 });
    const scores = await scoreSamples(samples, dataset, scorer.evaluate, evaluator.hash);
    opts.onProgress?.({ phase: 'scoring', done: 1, total: 1 });
    return { ...scores, backend: backendLabel(scorer.engine === 'onnxruntime') };
  } finally {
    await scorer?.release();
    evaluator.dispose();
  }
}
