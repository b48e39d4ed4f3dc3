/**
 * Scoring against held-out real data, honestly. The held-out split is cut into two disjoint halves,
 * class by class: the reference set every run is scored against, and a pool of real points the
 * floor draws from. The floor — real data scored exactly like a run, at the run's N — is the best
 * any model can score here; the evaluator's accuracy on the whole held-out split says whether its
 * scores mean anything at all.
 */
import * as tf from '@tensorflow/tfjs-core';
import { canonicalJson, IS_SPLITS, isReliable, type DatasetSpec } from '@guidance-lab/experiments';
import { bayesClassify, toy2dMixture } from './data/toy2d';
import type { Scorer } from './inference';
import { adherence, densityCoverage, frechetFromStats, gaussianStats, inceptionScore, kernelInceptionDistance, manifoldRadiiAt, polynomialKernel, precisionRecall, type GaussianStats, type RowMatrix } from './metrics/index';
import type { DatasetSplit, LabelledData, Metrics } from './types';

/** k of the k-NN balls in precision/recall (Kynkäänniemi et al.'s default). */
const PR_K = 3;
/** k of the k-NN balls in density/coverage (Naeem et al.'s default). */
const DC_K = 5;

/** Evaluator outputs on a batch of samples, read back to float arrays. */
export async function evaluate(run: Scorer['evaluate'], x: Float32Array, shape: number[], batch = 500) {
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
    try {
      featureDim = f.shape[1];
      classes = p.shape[1];
      features ??= new Float32Array(n * featureDim);
      probs ??= new Float32Array(n * classes);
      features.set(f.dataSync(), i * featureDim);
      probs.set(p.dataSync(), i * classes);
    } finally {
      // Also when a read-back fails, so a failed scoring pass does not strand the batch's outputs.
      tf.dispose([f, p]);
    }
  }
  return { features: { data: features!, rows: n, cols: featureDim } as RowMatrix, probs: { data: probs!, rows: n, cols: classes } as RowMatrix };
}

type Outputs = Awaited<ReturnType<typeof evaluate>>;

/** The reference half with everything derived from it alone, the floor's pool, and the evaluator's accuracy. */
export interface Reference {
  features: RowMatrix;
  stats: GaussianStats;
  prRadii: Float64Array;
  dcRadii: Float64Array;
  /** KID's real kernel, when it fits in memory. */
  kernel?: Float64Array;
  /** e.g. "mnist:test-half:1000"; the last number is the reference size. */
  label: string;
  accuracy: number;
  attainable: number;
  /** Evaluator outputs of the other half, class by class. */
  pool: Outputs & { labels: Int32Array };
  floors: Map<number, { metrics: Metrics; n: number }>;
}

/** Held-out rows split alternately within each class: even occurrences → reference, odd → pool (sorted by class). */
export function heldOutHalves(test: LabelledData): { reference: Int32Array; pool: Int32Array } {
  const seen = new Int32Array(test.classes);
  const reference: number[] = [];
  const pool: number[][] = Array.from({ length: test.classes }, () => []);
  test.y.forEach((c, row) => (seen[c]++ % 2 === 0 ? reference.push(row) : pool[c].push(row)));
  return { reference: Int32Array.from(reference), pool: Int32Array.from(pool.flat()) };
}

/** The best accuracy any classifier reaches on the held-out split: 1 for real data, the Bayes classifier's on toy2d. */
function attainableAccuracy(dataset: DatasetSpec, test: LabelledData): number {
  if (dataset.kind !== 'toy2d') return 1;
  const bayes = bayesClassify(toy2dMixture(dataset), test.x);
  return bayes.reduce((hits, label, i) => hits + (label === test.y[i] ? 1 : 0), 0) / bayes.length;
}

function pickRows(m: RowMatrix, rows: Int32Array): RowMatrix {
  const out = new Float32Array(rows.length * m.cols);
  rows.forEach((row, i) => out.set(m.data.subarray(row * m.cols, (row + 1) * m.cols), i * m.cols));
  return { data: out, rows: rows.length, cols: m.cols };
}

const references = new Map<string, Reference>();

/** Once per evaluator and dataset: the k-NN passes over the reference are the costliest part of scoring. */
export async function referenceFor(evaluatorHash: string, run: Scorer['evaluate'], dataset: DatasetSpec, data: DatasetSplit): Promise<Reference> {
  const key = `${evaluatorHash}:${canonicalJson(dataset)}`;
  let ref = references.get(key);
  if (!ref) {
    const all = await evaluate(run, data.test.x, data.test.shape);
    const halves = heldOutHalves(data.test);
    const features = pickRows(all.features, halves.reference);
    const [prRadii, dcRadii] = manifoldRadiiAt(features, [PR_K, DC_K]);
    ref = {
      features,
      stats: gaussianStats(features),
      prRadii,
      dcRadii,
      // 4000 reference points make a 128 MB kernel; larger sets are sampled per KID subset instead.
      kernel: features.rows <= 4000 ? polynomialKernel(features) : undefined,
      label: `${data.name}:test-half:${features.rows}`,
      accuracy: adherence(all.probs, data.test.y),
      attainable: attainableAccuracy(dataset, data.test),
      pool: { features: pickRows(all.features, halves.pool), probs: pickRows(all.probs, halves.pool), labels: Int32Array.from(halves.pool, (row) => data.test.y[row]) },
      floors: new Map(),
    };
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

/** Every metric of a set laid out class by class (`perClass` rows each, labelled `labels`) against the reference. */
export function scoreOutputs(ref: Reference, gen: Outputs, labels: Int32Array, classes: number, perClass: number, seed: number): Metrics {
  const is = inceptionScore(interleaveClasses(gen.probs, classes, perClass), IS_SPLITS);
  const kid = kernelInceptionDistance(ref.features, gen.features, { seed, realKernel: ref.kernel });
  const pr = precisionRecall(ref.features, gen.features, PR_K, ref.prRadii);
  const dc = densityCoverage(ref.features, gen.features, DC_K, ref.dcRadii);
  return {
    fid: frechetFromStats(ref.stats, gaussianStats(gen.features)),
    is: is.mean,
    isStd: is.std,
    kid: kid.mean,
    precision: pr.precision,
    recall: pr.recall,
    density: dc.density,
    coverage: dc.coverage,
    adherence: adherence(gen.probs, labels),
  };
}

/**
 * The pool's first `perClass` points of every class scored like a run of that size (fewer per class
 * when the pool's smallest class has fewer; n says how many).
 */
export function floorFor(ref: Reference, classes: number, perClass: number): { metrics: Metrics; n: number } {
  let floor = ref.floors.get(perClass);
  if (!floor) {
    const counts = new Int32Array(classes);
    for (const c of ref.pool.labels) counts[c]++;
    const m = Math.min(perClass, ...counts);
    if (m < 2) throw new Error(`the held-out split's second half has ${m} point(s) of some class, too few for the real-data floor: enlarge the held-out split (dataset.testSize, testPerClass or testFraction)`);
    const rows = Int32Array.from({ length: classes * m }, (_, i) => counts.slice(0, Math.floor(i / m)).reduce((a, b) => a + b, 0) + (i % m));
    const labels = Int32Array.from(rows, (row) => ref.pool.labels[row]);
    floor = { metrics: scoreOutputs(ref, { features: pickRows(ref.pool.features, rows), probs: pickRows(ref.pool.probs, rows) }, labels, classes, m, 0), n: rows.length };
    ref.floors.set(perClass, floor);
  }
  return floor;
}

export const evaluatorVerdict = (ref: Reference) => ({ accuracy: ref.accuracy, attainable: ref.attainable, reliable: isReliable(ref.accuracy, ref.attainable) });
