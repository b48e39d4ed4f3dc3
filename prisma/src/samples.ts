/**
 * A run's samples and an evaluator's predictions as stored rows: typed arrays deflated with zlib
 * (images are bytes already; the deflate mostly pays on their flat backgrounds and on labels).
 */
import { deflateSync, inflateSync } from 'node:zlib';
import type { SampleSet } from '@guidance-lab/experiments';
import type { RunSamples, SamplePredictions } from '../generated/client';

const bytesOf = (a: Uint8Array | Int32Array | Float32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
const deflate = (a: Uint8Array | Int32Array | Float32Array) => new Uint8Array(deflateSync(bytesOf(a)));
/** Inflated into a fresh buffer, so typed arrays over it are aligned. */
const inflate = (bytes: Uint8Array): ArrayBuffer => {
  const raw = inflateSync(bytes);
  return raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength) as ArrayBuffer;
};

export type SamplesRow = Omit<RunSamples, 'runId' | 'createdAt' | 'shape'> & { shape: number[] };

export function packSamples(set: SampleSet): SamplesRow {
  return {
    shape: set.shape,
    dtype: set.x instanceof Uint8Array ? 'uint8' : 'float32',
    count: set.y.length,
    seed: set.seed,
    x: deflate(set.x),
    y: deflate(set.y),
    rawBytes: set.x.byteLength + set.y.byteLength,
  };
}

export function unpackSamples(row: Pick<RunSamples, 'shape' | 'dtype' | 'seed' | 'x' | 'y'>): SampleSet {
  const x = inflate(row.x);
  return { shape: row.shape as number[], x: row.dtype === 'uint8' ? new Uint8Array(x) : new Float32Array(x), y: new Int32Array(inflate(row.y)), seed: row.seed };
}

export interface Predictions {
  predicted: Int32Array;
  confidence: Float32Array;
}

export function packPredictions(p: Predictions): Pick<SamplePredictions, 'predicted' | 'confidence'> {
  return { predicted: deflate(p.predicted), confidence: deflate(p.confidence) };
}

export function unpackPredictions(row: Pick<SamplePredictions, 'predicted' | 'confidence'>): Predictions {
  return { predicted: new Int32Array(inflate(row.predicted)), confidence: new Float32Array(inflate(row.confidence)) };
}
