/**
 * A run's samples as data: the form they are stored in (8-bit images, float32 points), the .npz
 * download built from it, and the up-front estimate of what a sweep's samples take.
 */
import { decodeNpz, encodeNpz } from './npy';
import type { SweepSpec } from './spec';

/**
 * Every sample of one run. Sample i was drawn from the noise streams keyed by (seed, i, step)
 * (the engine's samplers/noise.ts), so (seed, i) is sample i's seed: it redraws that sample alone.
 */
export interface SampleSet {
  /** Per-sample shape: [2] for 2-D points, [H, W, C] for images. */
  shape: number[];
  /** Sample-major values: images 8-bit (0 ↔ −1, 255 ↔ +1, channels last), points float32. */
  x: Uint8Array | Float32Array;
  /** The class each sample was asked for. */
  y: Int32Array;
  /** The run's sampling seed. */
  seed: number;
}

/** An image value in [−1, 1] (clipped) as the byte it is stored as. */
export const pixelByte = (v: number): number => Math.round((Math.min(1, Math.max(-1, v)) + 1) * 127.5);

/** Float samples as stored: images quantised to bytes, points kept as float32. */
export function storedSamples(x: Float32Array, shape: number[], y: Int32Array, seed: number): SampleSet {
  return { shape, x: shape.length === 3 ? Uint8Array.from(x, pixelByte) : x, y, seed };
}

/** The values the stored samples stand for, as the evaluator scores them. */
export function sampleValues(set: SampleSet): Float32Array {
  return set.x instanceof Uint8Array ? Float32Array.from(set.x, (b) => b / 127.5 - 1) : set.x;
}

/**
 * The .npz download: `x` (N, 2) float32 points, or (N, H, W) grey / (N, H, W, C) colour uint8
 * images; `y` (N,) int32 classes; `seed` (N, 2) int64 rows of (run seed, sample index).
 */
export function samplesToNpz(set: SampleSet): Uint8Array {
  const n = set.y.length;
  const xShape = set.shape.length === 3 && set.shape[2] === 1 ? [n, set.shape[0], set.shape[1]] : [n, ...set.shape];
  const seed = new BigInt64Array(2 * n);
  for (let i = 0; i < n; i++) {
    seed[2 * i] = BigInt(set.seed);
    seed[2 * i + 1] = BigInt(i);
  }
  return encodeNpz({ x: { data: set.x, shape: xShape }, y: { data: set.y, shape: [n] }, seed: { data: seed, shape: [n, 2] } });
}

/** Reads a samples.npz written by samplesToNpz. */
export function samplesFromNpz(bytes: Uint8Array): SampleSet {
  const { x, y, seed } = decodeNpz(bytes);
  if (!x || !y || !seed) throw new Error('samples.npz must hold the arrays x, y and seed');
  if (!(x.data instanceof Uint8Array || x.data instanceof Float32Array) || !(y.data instanceof Int32Array) || !(seed.data instanceof BigInt64Array)) {
    throw new Error('samples.npz: x must be uint8 or float32, y int32 and seed int64');
  }
  const per = x.shape.slice(1);
  const shape = x.data instanceof Uint8Array && per.length === 2 ? [...per, 1] : per;
  return { shape, x: x.data, y: y.data, seed: y.data.length ? Number(seed.data[0]) : 0 };
}

/** Classes a dataset has, where the spec alone tells; user data is counted as 10 (MNIST-like). */
export function datasetClasses(dataset: SweepSpec['dataset']): number {
  return dataset.kind === 'toy2d' ? dataset.classes : 10;
}

/**
 * Uncompressed bytes stored per sample, an upper bound: its values (2 float32 for a point, H·W·C
 * bytes for an image — user images counted as 28×28 grey for IDX and as RGB for folders), its
 * 4-byte class, and the evaluator's predicted class and confidence (4 + 4). Seeds are not stored
 * per sample: they are the run seed and the sample's index.
 */
export function bytesPerSample(dataset: SweepSpec['dataset']): number {
  const values = dataset.kind === 'toy2d' ? 2 * 4 : dataset.kind === 'folder' ? dataset.size * dataset.size * 3 : 28 * 28;
  return values + 4 + 4 + 4;
}

/** A sweep's stored samples before it runs: runs × samples per run × bytes per sample. */
export function sampleStoreEstimate(spec: SweepSpec, runs: number): { runs: number; samplesPerRun: number; bytesPerSample: number; bytes: number } {
  const samplesPerRun = datasetClasses(spec.dataset) * spec.samplesPerClass;
  const perSample = bytesPerSample(spec.dataset);
  return { runs, samplesPerRun, bytesPerSample: perSample, bytes: runs * samplesPerRun * perSample };
}
