/**
 * A bench training case as an optimiser step: its loss, seeded initial vectors and a synthetic batch,
 * and the whole step exported to ONNX — what profileStep.ts profiles and abStep.ts compares.
 */
import * as tf from '@tensorflow/tfjs-core';
import { disposeParams, initParams } from '../engine/networks/index';
import type { ExportOptions } from '../engine/onnx/export';
import { flatten, layoutOf } from '../engine/training/flat';
import { exportTrainStep } from '../engine/training/onnxStepEngine';
import { classifierLoss } from '../engine/training/trainClassifier';
import { epsNetLoss } from '../engine/training/trainEpsNet';
import { disposeVectors, mapVectors, type FlatVectors, type HostBatch, type StepDefinition } from '../engine/training/update';
import type { BenchCase } from './cases';
import { syntheticData } from './tfjsTasks';

/** The step scalars every timed step uses. */
export const STEP_SCALARS = { lr: 1e-4, biasM: 1, biasV: 1, keep: 0.999, take: 0.001 };

function hostBatchOf(c: BenchCase): HostBatch {
  const data = syntheticData(c, c.batch);
  const shape = [c.batch, ...c.net.inputShape];
  const t = Int32Array.from({ length: c.batch }, (_, i) => (i * 37) % 1000);
  if (c.net.kind === 'classifier') return { x: { data: data.x, shape }, y: { data: data.y, shape: [c.batch] }, ...(c.net.timeConditioned ? { t: { data: t, shape: [c.batch] } } : {}) };
  return { x: { data: data.x, shape }, eps: { data: data.x.slice().reverse(), shape }, t: { data: t, shape: [c.batch] }, y: { data: data.y, shape: [c.batch] } };
}

/** The case's step definition, its initial vectors (weights of seed 0, zero moments, an EMA for ε-nets) and a synthetic batch. */
export function initialStep(c: BenchCase): { def: StepDefinition; w: FlatVectors<tf.Tensor1D>; batch: HostBatch } {
  const params = initParams(c.net, 0);
  const layout = layoutOf(params);
  const theta = flatten(params, layout);
  disposeParams(params);
  const w = { theta, m: tf.zerosLike(theta), v: tf.zerosLike(theta), ema: c.net.kind === 'classifier' ? null : tf.clone(theta) };
  return { def: { layout, loss: c.net.kind === 'classifier' ? classifierLoss(c.net) : epsNetLoss(c.net) }, w, batch: hostBatchOf(c) };
}

/** The case's whole training step as an ONNX model, with its initial vectors as host arrays and its batch. */
export function exportedStep(c: BenchCase, options: ExportOptions): { model: Uint8Array; host: FlatVectors<Float32Array>; batch: HostBatch } {
  const { def, w, batch } = initialStep(c);
  try {
    return { model: exportTrainStep(def, w, batch, options), host: mapVectors(w, (t) => t.dataSync() as Float32Array), batch };
  } finally {
    disposeVectors(w);
  }
}
