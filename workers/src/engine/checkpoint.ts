/**
 * Checkpoints: one Uint8Array holding a JSON header (role, network config, run hyper-parameters, step,
 * loss curve) followed by float32 blobs for the weights, their EMA copy and Adam's moments. Loading
 * gives back the exact same floats, so a resumed run continues bit for bit. `weightsHash` is the sha256
 * of the sampling weights' bytes (the EMA copy when there is one).
 */
import { createHash } from 'node:crypto';
import * as tf from '@tensorflow/tfjs-core';
import { applyEps, classify, type ClassifierConfig, type EpsNetConfig, type NetworkConfig, type Params, disposeParams } from './networks/index';
import type { TensorEpsFn } from './types';

const MAGIC = 'GLCKPT01';
const GROUPS = ['params', 'ema', 'adamM', 'adamV'] as const;
type Group = (typeof GROUPS)[number];

export type ModelRole = 'eps' | 'noisy-classifier' | 'evaluator';

export interface CurvePoint {
  step: number;
  loss: number;
}

/** Everything a training run needs to continue exactly where it stopped. */
export interface TrainState {
  role: ModelRole;
  config: NetworkConfig;
  /** The run's defining hyper-parameters (seed, lr, batch, …); a resume must match them. */
  run: Record<string, number>;
  /** Optimiser steps done. */
  step: number;
  curve: CurvePoint[];
  /** Loss sum and count since the last curve point. */
  pending: { sum: number; count: number };
  params: Params;
  ema: Params | null;
  adamM: Params;
  adamV: Params;
}

interface Header extends Omit<TrainState, Group> {
  format: typeof MAGIC;
  tensors: { group: Group; name: string; shape: number[] }[];
}

const floatsOf = (t: tf.Tensor): Float32Array => t.dataSync() as Float32Array;

export function writeCheckpoint(state: TrainState): Uint8Array {
  const { params, ema, adamM, adamV, ...meta } = state;
  const groups: [Group, Params | null][] = [['params', params], ['ema', ema], ['adamM', adamM], ['adamV', adamV]];
  const entries = groups.flatMap(([group, ps]) => (ps ? [...ps].map(([name, t]) => ({ group, name, t })) : []));
  const header: Header = { format: MAGIC, ...meta, tensors: entries.map(({ group, name, t }) => ({ group, name, shape: t.shape })) };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const start = Math.ceil((12 + json.length) / 4) * 4;
  const total = start + entries.reduce((n, e) => n + e.t.size * 4, 0);
  const bytes = new Uint8Array(total);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(bytes.buffer).setUint32(8, json.length, true);
  bytes.set(json, 12);
  let offset = start;
  for (const { t } of entries) {
    const data = floatsOf(t);
    bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), offset);
    offset += data.byteLength;
  }
  return bytes;
}

function parse(bytes: Uint8Array): { header: Header; blobs: Map<string, Float32Array> } {
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) {
    throw new Error(`not a Guidance Lab checkpoint (expected the '${MAGIC}' signature)`);
  }
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + length))) as Header;
  let offset = Math.ceil((12 + length) / 4) * 4;
  const blobs = new Map<string, Float32Array>();
  for (const { group, name, shape } of header.tensors) {
    const size = shape.reduce((a, b) => a * b, 1);
    if (offset + size * 4 > bytes.length) throw new Error(`checkpoint is truncated at tensor ${group}/${name}`);
    // Copy: the blob's offset need not be 4-aligned relative to the underlying buffer.
    blobs.set(`${group}/${name}`, new Float32Array(bytes.slice(offset, offset + size * 4).buffer));
    offset += size * 4;
  }
  return { header, blobs };
}

function groupParams(header: Header, blobs: Map<string, Float32Array>, group: Group): Params | null {
  const entries = header.tensors.filter((e) => e.group === group);
  if (entries.length === 0) return null;
  return new Map(entries.map(({ name, shape }) => [name, tf.tensor(blobs.get(`${group}/${name}`) as Float32Array, shape)]));
}

/** The full training state (the caller owns and disposes its tensors). */
export function readCheckpoint(bytes: Uint8Array): TrainState {
  const { header, blobs } = parse(bytes);
  const { format: _format, tensors: _tensors, ...meta } = header;
  const need = (group: Group) => {
    const ps = groupParams(header, blobs, group);
    if (!ps) throw new Error(`checkpoint has no '${group}' tensors`);
    return ps;
  };
  return { ...meta, params: need('params'), ema: groupParams(header, blobs, 'ema'), adamM: need('adamM'), adamV: need('adamV') };
}

/** sha256 (hex) of the float32 bytes of `params` in order. */
export function hashParams(params: Params): string {
  const hash = createHash('sha256');
  for (const t of params.values()) {
    const data = floatsOf(t);
    hash.update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }
  return hash.digest('hex');
}

/** The weights a trained model is used with: the EMA copy when there is one. */
function samplingWeights(bytes: Uint8Array, role: ModelRole): { header: Header; params: Params } {
  const { header, blobs } = parse(bytes);
  if (header.role !== role) throw new Error(`checkpoint holds a '${header.role}' model, expected '${role}'`);
  const params = groupParams(header, blobs, 'ema') ?? groupParams(header, blobs, 'params');
  if (!params) throw new Error('checkpoint has no weights');
  return { header, params };
}

/** The content hash of a checkpoint's sampling weights. */
export function weightsHashOf(bytes: Uint8Array): string {
  const { params } = samplingWeights(bytes, parse(bytes).header.role);
  const hash = hashParams(params);
  disposeParams(params);
  return hash;
}

export function loadEpsNet(bytes: Uint8Array): { eps: TensorEpsFn; params: Params; classes: number; nullLabel: number; config: EpsNetConfig; dispose: () => void } {
  const { header, params } = samplingWeights(bytes, 'eps');
  const config = header.config as EpsNetConfig;
  return {
    eps: (x, t, y) => tf.tidy(() => applyEps(config, params, x, t, y)),
    params,
    classes: config.classes,
    nullLabel: config.classes,
    config,
    dispose: () => disposeParams(params),
  };
}

/** The noise-aware classifier f_φ(y | x_t, t): its config and sampling weights (the caller disposes them). */
export function loadNoisyClassifier(bytes: Uint8Array): { config: ClassifierConfig; params: Params; dispose: () => void } {
  const { header, params } = samplingWeights(bytes, 'noisy-classifier');
  return { config: header.config as ClassifierConfig, params, dispose: () => disposeParams(params) };
}

export function loadEvaluator(bytes: Uint8Array): {
  /** Penultimate features and class probabilities of a batch, from one forward pass (new tensors). */
  evaluate: (x: tf.Tensor) => { features: tf.Tensor2D; probs: tf.Tensor2D };
  hash: string;
  config: ClassifierConfig;
  params: Params;
  dispose: () => void;
} {
  const { header, params } = samplingWeights(bytes, 'evaluator');
  const config = header.config as ClassifierConfig;
  return {
    evaluate: (x) =>
      tf.tidy(() => {
        const { features, logits } = classify(config, params, x, null);
        return { features, probs: tf.softmax(logits) as tf.Tensor2D };
      }),
    hash: hashParams(params),
    config,
    params,
    dispose: () => disposeParams(params),
  };
}
