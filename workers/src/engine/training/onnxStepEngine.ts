/**
 * Optimiser steps on onnxruntime: `updateStep` (forward, tfjs's own gradient kernels, Adam, EMA) is
 * traced once at the run's batch shape and exported kernel by kernel (onnx/export.ts); each step then
 * is one session call. The vectors live as host arrays between steps — each step's outputs are the
 * next step's inputs — and become tfjs tensors only when read (checkpoints).
 */
import * as tf from '@tensorflow/tfjs-core';
import { exportForward, type ExportOptions, type GraphInput } from '../onnx/export';
import { createSession, nchwcBlockSize, type Ort } from '../onnx/session';
import type { StepEngine } from './engineTypes';
import { batchTensors, disposeVectors, dtypeOf, mapVectors, presentVectors, scalarTensors, updateStep, type FlatVectors, type HostBatch, type StepDefinition, type StepScalars } from './update';

/** The step as an ONNX graph: inputs the vectors, the batch and the step scalars (learning rate, bias corrections, EMA weights); outputs `loss` and `<vector>_next`. */
export function exportTrainStep(def: StepDefinition, w: FlatVectors<tf.Tensor>, example: HostBatch, options: ExportOptions = {}): Uint8Array {
  const batch = batchTensors(example);
  const scalars = scalarTensors({ lr: 1e-3, biasM: 1, biasV: 1, keep: 0, take: 1 });
  const inputs: GraphInput[] = [
    ...presentVectors(w).map(([name, tensor]) => ({ name, tensor })),
    ...Object.entries(batch).map(([name, tensor]) => ({ name, tensor })),
    { name: 'lr', tensor: scalars.lr },
    { name: 'biasM', tensor: scalars.biasM },
    { name: 'biasV', tensor: scalars.biasV },
    ...(w.ema ? [{ name: 'keep', tensor: scalars.keep }, { name: 'take', tensor: scalars.take }] : []),
  ];
  try {
    return exportForward('train-step', inputs, new Map(), () => {
      const { loss, ...next } = updateStep(def, w, batch, scalars);
      return { loss, ...Object.fromEntries(presentVectors(next).map(([n, t]) => [`${n}_next`, t])) };
    }, options);
  } finally {
    tf.dispose([...Object.values(batch), ...Object.values(scalars)]);
  }
}

/** The inputs of one call of the exported step: the vectors, the batch and the step's scalars. */
export function stepFeeds(ort: Ort, host: FlatVectors<Float32Array>, batch: HostBatch, s: StepScalars<number>): Record<string, InstanceType<Ort['Tensor']>> {
  const scalar = (x: number) => new ort.Tensor('float32', Float32Array.of(x), []);
  const feeds: Record<string, InstanceType<Ort['Tensor']>> = { lr: scalar(s.lr), biasM: scalar(s.biasM), biasV: scalar(s.biasV) };
  if (host.ema) Object.assign(feeds, { keep: scalar(s.keep), take: scalar(s.take) });
  for (const [n, a] of presentVectors(host)) feeds[n] = new ort.Tensor('float32', a, [a.length]);
  for (const [n, b] of Object.entries(batch)) feeds[n] = new ort.Tensor(dtypeOf(b.data) as 'float32', b.data as Float32Array, b.shape);
  return feeds;
}

/** The onnxruntime engine; it takes ownership of `initial` (copied to host arrays and disposed). */
export async function onnxStepEngine(ort: Ort, def: StepDefinition, initial: FlatVectors<tf.Tensor1D>, example: HostBatch): Promise<StepEngine> {
  const nchwcBlock = await nchwcBlockSize(ort);
  let model: Uint8Array;
  let host: FlatVectors<Float32Array>;
  try {
    model = exportTrainStep(def, initial, example, { nchwcBlock });
    host = mapVectors(initial, (t) => t.dataSync() as Float32Array);
  } finally {
    disposeVectors(initial);
  }
  const session = await createSession(ort, model, {});
  return {
    name: 'onnxruntime',
    async step(batch, s) {
      const out = await session.run(stepFeeds(ort, host, batch, s));
      host = mapVectors(host, (_, n) => out[`${n}_next`].data as Float32Array);
      return (out.loss.data as Float32Array)[0];
    },
    read(use) {
      const w = mapVectors(host, (a) => tf.tensor1d(a));
      try {
        return use(w);
      } finally {
        disposeVectors(w);
      }
    },
    dispose: () => session.release(),
  };
}
