/**
 * The size of a sweep before it is launched and what it will take: counts are exact (from the grid
 * expansion); the time comes from a throughput, measured on the deployment (apps/api estimate.ts)
 * or the bench's figures for a 2-core CPU, and leaves out the models already trained.
 */
import type { SweepPlan } from './grid';
import type { MethodId } from './methods';
import type { SweepSpec } from './spec';

export interface SweepCost {
  runs: number;
  /** Distinct networks the sweep needs. */
  models: number;
  /** Of those, the ones already trained (by content hash): reused, they cost nothing. */
  modelsTrained: number;
  /** Classes K of the dataset; null when only the data files can tell (idx, folder). */
  classes: number | null;
  /** Training examples still to see, summed over the models to train (steps × batch size). */
  trainExamples: number;
  /** Network evaluations of the ε-net (and the classifier) while sampling, summed over runs. */
  samplingEvals: number;
  /** Wall time in seconds at the given throughput. */
  seconds: number;
}

/** ε-net training examples per second, and network evaluations per second while sampling and scoring. */
export interface Throughput {
  train: number;
  forward: number;
}

/** 2-D points or images: the two scales of network the datasets use. */
export type DataKind = 'points' | 'images';
export const dataKind = (dataset: SweepSpec['dataset']): DataKind => (dataset.kind === 'toy2d' ? 'points' : 'images');

// Throughputs on a 2-core CPU (stack.md: the 544k-parameter U-Net trains at ~16 img/s and runs
// forward at ~78 img/s on threaded wasm; the 2-D MLPs are ~1000× cheaper). Classifiers are smaller nets.
export const BENCH_THROUGHPUT: Record<DataKind, Throughput> = {
  points: { train: 20_000, forward: 100_000 },
  images: { train: 16, forward: 78 },
};
const CLASSIFIER_SPEEDUP = 4;
/** MNIST has ten digits; idx and folder datasets are sized at ten until their files are read. */
const ASSUMED_CLASSES = 10;

export function knownClasses(dataset: SweepSpec['dataset']): number | null {
  if (dataset.kind === 'toy2d') return dataset.classes;
  if (dataset.kind === 'mnist') return 10;
  return null;
}

/**
 * Evaluations per sampler step: CFG and its variants batch two branches (2); autoguidance runs the
 * main model and a smaller guide (≈ 2); classifier guidance adds a forward and a backward pass.
 */
const EVALS_PER_STEP: Record<MethodId, number> = {
  none: 1,
  'classifier-free': 2,
  classifier: 1 + 2 / CLASSIFIER_SPEEDUP,
  autoguidance: 2,
  'cfg-pp': 2,
  apg: 2,
  'cfg-zero-star': 2,
  icg: 2,
};

/** Network evaluations of one run: its samples × sampler steps × evaluations per step. */
export function runEvals(run: { method: MethodId; samplesPerClass: number; steps: number }, classes: number | null): number {
  return (classes ?? ASSUMED_CLASSES) * run.samplesPerClass * run.steps * EVALS_PER_STEP[run.method];
}

/** Classifier-sized training examples count CLASSIFIER_SPEEDUP times less than the ε-net's. */
export function trainingWork(config: SweepPlan['models'][number]['config']): { examples: number; epsEquivalent: number } {
  const t = config.kind === 'eps' ? config.training! : config.classifier!;
  const examples = t.steps * t.batchSize;
  return { examples, epsEquivalent: config.kind === 'eps' ? examples : examples / CLASSIFIER_SPEEDUP };
}

/** `trained`: content hashes of the models already trained, which cost nothing. */
export function sweepCost(spec: SweepSpec, plan: SweepPlan, speed: Throughput = BENCH_THROUGHPUT[dataKind(spec.dataset)], trained: ReadonlySet<string> = new Set()): SweepCost {
  const classes = knownClasses(spec.dataset);
  let trainExamples = 0;
  let trainSeconds = 0;
  for (const { key, config } of plan.models) {
    if (trained.has(key)) continue;
    const work = trainingWork(config);
    trainExamples += work.examples;
    trainSeconds += work.epsEquivalent / speed.train;
  }
  const samplingEvals = plan.runs.reduce((sum, run) => sum + runEvals({ ...run, steps: run.sampler.steps }, classes), 0);
  return {
    runs: plan.runs.length,
    models: plan.models.length,
    modelsTrained: plan.models.filter((m) => trained.has(m.key)).length,
    classes,
    trainExamples,
    samplingEvals,
    seconds: trainSeconds + samplingEvals / speed.forward,
  };
}
