/**
 * The size of a sweep before it is launched and a rough idea of what it costs on a 2-core CPU.
 * Counts are exact (from the grid expansion); the time is an order of magnitude only.
 */
import type { SweepPlan } from '@guidance-lab/experiments/grid';
import type { MethodId } from '@guidance-lab/experiments/methods';
import type { SweepSpec } from '@guidance-lab/experiments/spec';

export interface SweepCost {
  runs: number;
  /** Distinct networks to train (a model another sweep already trained is reused and costs nothing). */
  models: number;
  /** Classes K of the dataset; null when only the data files can tell (idx, folder). */
  classes: number | null;
  /** Training examples seen, summed over every model (steps × batch size). */
  trainExamples: number;
  /** Network evaluations of the ε-net (and the classifier) while sampling, summed over runs. */
  samplingEvals: number;
  /** Rough wall time in seconds on a 2-core CPU. */
  seconds: number;
}

// Throughputs on a 2-core CPU (stack.md: the 544k-parameter U-Net trains at ~16 img/s and runs
// forward at ~78 img/s on threaded wasm; the 2-D MLPs are ~1000× cheaper). Classifiers are smaller nets.
const THROUGHPUT = {
  points: { train: 20_000, forward: 100_000 },
  images: { train: 16, forward: 78 },
} as const;
const CLASSIFIER_SPEEDUP = 4;
/** MNIST has ten digits; idx and folder datasets are sized at ten until their files are read. */
const ASSUMED_CLASSES = 10;

export function datasetClasses(dataset: SweepSpec['dataset']): number | null {
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

export function sweepCost(spec: SweepSpec, plan: SweepPlan): SweepCost {
  const speed = spec.dataset.kind === 'toy2d' ? THROUGHPUT.points : THROUGHPUT.images;
  const classes = datasetClasses(spec.dataset);
  let trainExamples = 0;
  let trainSeconds = 0;
  for (const { config } of plan.models) {
    const t = config.kind === 'eps' ? config.training! : config.classifier!;
    const examples = t.steps * t.batchSize;
    trainExamples += examples;
    trainSeconds += examples / (config.kind === 'eps' ? speed.train : speed.train * CLASSIFIER_SPEEDUP);
  }
  let samplingEvals = 0;
  for (const run of plan.runs) {
    const samples = (classes ?? ASSUMED_CLASSES) * run.samplesPerClass;
    samplingEvals += samples * run.sampler.steps * EVALS_PER_STEP[run.method];
  }
  return {
    runs: plan.runs.length,
    models: plan.models.length,
    classes,
    trainExamples,
    samplingEvals,
    seconds: trainSeconds + samplingEvals / speed.forward,
  };
}
