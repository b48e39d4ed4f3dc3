/**
 * The jobs a sweep is made of, joining the engine's parts in the open: train one model from its
 * config; sample one grid point with its guidance rule; score samples, just drawn or stored (apart, so
 * the CLI can sample while the evaluator still trains; the worker does both in one job). The CLI and
 * the worker call these; neither knows about tensors.
 */
import type { DatasetSpec, ModelConfig, RunPoint, SampleSet, SweepSpec } from '@guidance-lab/experiments';
import { canonicalJson, sampleValues, storedSamples } from '@guidance-lab/experiments';
import type { DataRoot } from '@guidance-lab/experiments/dataRoot';
import { activeBackend } from './backend/index';
import { loadEpsNet, loadEvaluator, loadNoisyClassifier, type CurvePoint } from './checkpoint';
import { loadDataset } from './data/index';
import { makeGuidance } from './guidance/index';
import { openEvaluator, openInference, type Inference, type Scorer } from './inference';
import type { RowMatrix } from './metrics/index';
import { imageGrid, scatterGrid } from './render/index';
import { getSampler } from './samplers/index';
import { makeSchedule } from './schedules/index';
import { evaluate, evaluatorVerdict, floorFor, referenceFor, scoreOutputs } from './scoring';
import { trainClassifier, trainEpsNet } from './training/index';
import type { DatasetSplit, Metrics, ProgressFn } from './types';

/** The workers package's version labels every result (the API reads the same field). */
export { ENGINE_VERSION } from './version';

/** Samples per class drawn in a run's grid (the first ones, so every scale shows the same seeds). */
export const GRID_COLUMNS = 8;

/** Datasets are pure functions of their spec; keep the last few in memory across jobs. */
const datasets = new Map<string, DatasetSplit>();
export function datasetFor(spec: DatasetSpec, root?: DataRoot): DatasetSplit {
  const key = canonicalJson(spec);
  let data = datasets.get(key);
  if (!data) {
    data = loadDataset(spec, root);
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
  /** Where idx and folder dataset paths resolve (experiments/src/dataRoot.ts). */
  dataRoot?: DataRoot;
}

export interface TrainResult {
  checkpoint: Uint8Array;
  weightsHash: string;
  curve: CurvePoint[];
  backend: string;
}

export async function trainModel(config: ModelConfig, opts: TrainOptions = {}): Promise<TrainResult> {
  const data = datasetFor(config.dataset, opts.dataRoot).train;
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
  /** Autoguidance: the guide ε-net. */
  guide?: Uint8Array | null;
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
  /** The evaluator's held-out accuracy, and held-out real data scored like this run (scoring.ts). */
  evaluation: { accuracy: number; attainable: number; reliable: boolean; floor: Metrics; floorN: number };
  backend: string;
}

export interface RunResult extends Scores {
  grid: SampleGridImage;
  /** The samples the grid shows, class by class (`perClass` each), for figures that redraw them. */
  gridSamples: { x: Float32Array; perClass: number; shape: number[] };
  /** Every sample as stored (images 8-bit): the metrics are computed from exactly these values. */
  samples: SampleSet;
}

export type RunSettings = Pick<RunPoint, 'method' | 'methodParams' | 'pUncond' | 'scale' | 'seed' | 'sampler' | 'samplesPerClass'>;

/** The first GRID_COLUMNS samples of every class, class by class. */
function gridRows(x: Float32Array, dim: number, classes: number, perClass: number, cols: number): Float32Array {
  const out = new Float32Array(classes * cols * dim);
  for (let c = 0; c < classes; c++) {
    for (let j = 0; j < cols; j++) out.set(x.subarray((c * perClass + j) * dim, (c * perClass + j + 1) * dim), (c * cols + j) * dim);
  }
  return out;
}

/** Image grids show the first GRID_COLUMNS samples of each class; 2-D scatter grids show every point. */
function shownSamples(x: Float32Array, data: DatasetSplit, perClass: number): RunResult['gridSamples'] {
  const { shape, classes } = data.test;
  if (shape.length === 1) return { x, perClass, shape };
  const cols = Math.min(GRID_COLUMNS, perClass);
  return { x: gridRows(x, shape.reduce((a, b) => a * b, 1), classes, perClass, cols), perClass: cols, shape };
}

function renderGrid(shown: RunResult['gridSamples'], labels: Int32Array, data: DatasetSplit): SampleGridImage {
  const { shape, classes, classNames } = data.test;
  if (shape.length === 1) {
    const png = scatterGrid(shown.x, labels, classes, { reference: data.test.x });
    return { png, rows: classes, cols: 1, cellSize: 160, classNames };
  }
  const scale = 2;
  const png = imageGrid(shown.x, shape as [number, number, number], classes, shown.perClass, { scale });
  return { png, rows: classes, cols: shown.perClass, cellSize: shape[0] * scale, classNames };
}

/** One grid point's samples: its grid image, the samples the grid shows, and every sample as stored. */
export type SampledPoint = Pick<RunResult, 'grid' | 'gridSamples' | 'samples' | 'backend'>;

/** Samples one grid point with its guidance rule (the evaluator is not needed: scoring is apart). */
export async function samplePoint(
  point: RunSettings,
  setup: { dataset: DatasetSpec; schedule: SweepSpec['schedule'] },
  models: Omit<RunModels, 'evaluator'>,
  opts: { onProgress?: ProgressFn; signal?: AbortSignal; dataRoot?: DataRoot } = {},
): Promise<SampledPoint> {
  const data = datasetFor(setup.dataset, opts.dataRoot);
  const { classes, shape } = data.test;
  const schedule = makeSchedule(setup.schedule);
  const epsNet = loadEpsNet(models.eps);
  const classifier = models.classifier ? loadNoisyClassifier(models.classifier) : null;
  const guide = models.guide ? loadEpsNet(models.guide) : null;
  const image = shape.length === 3;
  let inference: Inference | null = null;
  try {
    if (point.method === 'classifier' && !classifier) throw new Error('classifier guidance needs a noise-aware classifier checkpoint');
    if (point.method === 'autoguidance' && !guide) throw new Error('autoguidance needs the guide ε-net checkpoint');
    inference = await openInference(epsNet, point.method === 'classifier' ? classifier : null, image, point.method === 'autoguidance' ? guide : null);
    // An unconditional ε-net (p_uncond = 1) only ever saw ∅, so it is asked with ∅.
    const unconditional = point.pUncond === 1;
    const labels = new Int32Array(classes * point.samplesPerClass).map((_, i) => Math.floor(i / point.samplesPerClass));
    const rule = makeGuidance(
      { method: point.method, ...point.methodParams },
      {
        eps: inference.eps,
        scale: point.scale,
        nullLabel: epsNet.nullLabel,
        gradLogProb: inference.gradLogProb ?? undefined,
        guideEps: inference.guideEps ?? undefined,
        unconditionalEps: unconditional,
        seed: point.seed,
      },
    );
    const sampled = await getSampler(point.sampler.kind)({
      schedule,
      rule,
      shape,
      labels,
      steps: point.sampler.steps,
      eta: point.sampler.eta,
      seed: point.seed,
      clip: image ? 1 : null,
      threshold: image && point.sampler.threshold ? point.sampler.threshold.percentile : null,
      batchSize: inference.samplerBatch,
      onProgress: (p) => opts.onProgress?.({ ...p, phase: 'sampling' }),
      signal: opts.signal,
    });
    const x = sampled.dataSync() as Float32Array;
    sampled.dispose();
    const shown = shownSamples(x, data, point.samplesPerClass);
    return { backend: backendLabel(inference.engine === 'onnxruntime'), grid: renderGrid(shown, labels, data), gridSamples: shown, samples: storedSamples(x, shape, labels, point.seed) };
  } finally {
    await inference?.release();
    epsNet.dispose();
    classifier?.dispose();
    guide?.dispose();
  }
}

/** Samples one grid point with its guidance rule, then scores the samples against the held-out set. */
export async function sampleAndScore(
  point: RunSettings,
  setup: { dataset: DatasetSpec; schedule: SweepSpec['schedule'] },
  models: RunModels,
  opts: { onProgress?: ProgressFn; signal?: AbortSignal; dataRoot?: DataRoot } = {},
): Promise<RunResult> {
  const sampled = await samplePoint(point, setup, models, opts);
  const scores = await rescoreSamples(sampled.samples, setup.dataset, models.evaluator, opts);
  return { ...scores, ...sampled };
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
async function scoreSamples(samples: SampleSet, dataset: DatasetSpec, data: DatasetSplit, run: Scorer['evaluate'], evaluatorHash: string): Promise<Omit<Scores, 'backend'>> {
  const { classes } = data.test;
  const n = samples.y.length;
  const ref = await referenceFor(evaluatorHash, run, dataset, data);
  const gen = await evaluate(run, sampleValues(samples), samples.shape);
  const metrics = scoreOutputs(ref, gen, samples.y, classes, n / classes, samples.seed);
  const floor = floorFor(ref, classes, n / classes);
  return {
    metrics,
    n,
    evaluatorHash,
    referenceSet: ref.label,
    evaluation: { ...evaluatorVerdict(ref), floor: floor.metrics, floorN: floor.n },
    predictions: predictionsOf(gen.probs),
  };
}

/** Scores samples (just drawn, or stored by an earlier run and scored again with the same or another evaluator). */
export async function rescoreSamples(samples: SampleSet, dataset: DatasetSpec, evaluatorCheckpoint: Uint8Array, opts: { onProgress?: ProgressFn; dataRoot?: DataRoot } = {}): Promise<Scores> {
  const evaluator = loadEvaluator(evaluatorCheckpoint);
  let scorer: Scorer | null = null;
  try {
    scorer = await openEvaluator(evaluator);
    opts.onProgress?.({ phase: 'scoring', done: 0, total: 1 });
    const scores = await scoreSamples(samples, dataset, datasetFor(dataset, opts.dataRoot), scorer.evaluate, evaluator.hash);
    opts.onProgress?.({ phase: 'scoring', done: 1, total: 1 });
    return { ...scores, backend: backendLabel(scorer.engine === 'onnxruntime') };
  } finally {
    await scorer?.release();
    evaluator.dispose();
  }
}
