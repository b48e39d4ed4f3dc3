/**
 * Optimiser steps on onnxruntime: `updateStep` (forward, tfjs's own gradient kernels, Adam, EMA) is
 * traced once at the run's batch shape and exported kernel by kernel (onnx/export.ts); each step then
 * is one session call. The vectors live as host arrays between steps — each step's outputs are the
 * next step's inputs — and become tfjs tensors only when read (checkpoints).
 */
import * as tf from '@tensorflow/tfjs-core';
import { exportForward, type GraphInput } from '../onnx/export';
import { createSession, type Ort } from '../onnx/session';
import type { StepEngine } from './stepEngine';
import { batchTensors, scalarTensors, updateStep, type FlatVectors, type HostBatch, type StepDefinition } from './update';

const VECTORS = ['theta', 'm', 'v', 'ema'] as const;

/** The step as an ONNX graph: inputs the vectors, the batch and the step scalars; outputs `loss` and `<vector>_next`. */
export function exportTrainStep(def: StepDefinition, w: FlatVectors<tf.Tensor>, example: HostBatch): Uint8Array {
  const batch = batchTensors(example);
  const scalars = scalarTensors({ biasM: 1, biasV: 1, keep: 0, take: 1 });
  const inputs: GraphInput[] = [
    ...VECTORS.flatMap((n) => (w[n] ? [{ name: n, tensor: w[n] as tf.Tensor }] : [])),
    ...Object.entries(batch).map(([name, tensor]) => ({ name, tensor })),
    { name: 'biasM', tensor: scalars.biasM },
    { name: 'biasV', tensor: scalars.biasV },
    ...(w.ema ? [{ name: 'keep', tensor: scalars.keep }, { name: 'take', tensor: scalars.take }] : []),
  ];
  try {
    return exportForward('train-step', inputs, new Map(), () => {
      const { loss, ...next } = updateStep(def, w, batch, scalars);
      return { loss, ...Object.fromEntries(VECTORS.flatMap((n) => (next[n] ? [[`${n}_next`, next[n] as tf.Tensor]] : []))) };
    });
  } finally {
    tf.dispose([...Object.values(batch), ...Object.values(scalars)]);
  }
}

/** The onnxruntime engine; it takes ownership of `initial` (copied to host arrays and disposed). */
export async function onnxStepEngine(ort: Ort, def: StepDefinition, initial: FlatVectors<tf.Tensor1D>, example: HostBatch): Promise<StepEngine> {
  let model: Uint8Array;
  const host: FlatVectors<Float32Array> = { theta: new Float32Array(), m: new Float32Array(), v: new Float32Array(), ema: null };
  try {
    model = exportTrainStep(def, initial, example);
    for (const n of VECTORS) {
      const t = initial[n];
      if (t) host[n] = t.dataSync() as Float32Array;
    }
  } finally {
    tf.dispose([initial.theta, initial.m, initial.v, ...(initial.ema ? [initial.ema] : [])]);
  }
  const session = await createSession(ort, model, {});
  const vector = (a: Float32Array) => new ort.Tensor('float32', a, [a.length]);
  const scalar = (x: number) => new ort.Tensor('float32', Float32Array.of(x), []);
  return {
    name: 'onnxruntime',
    async step(batch, s) {
      const feeds: Record<string, InstanceType<Ort['Tensor']>> = { theta: vector(host.theta), m: vector(host.m), v: vector(host.v), biasM: scalar(s.biasM), biasV: scalar(s.biasV) };
      if (host.ema) Object.assign(feeds, { ema: vector(host.ema), keep: scalar(s.keep), take: scalar(s.take) });
      for (const [n, b] of Object.entries(batch)) feeds[n] = b.data instanceof Int32Array ? new ort.Tensor('int32', b.data, b.shape) : new ort.Tensor('float32', b.data, b.shape);
      const out = await session.run(feeds);
      for (const n of VECTORS) if (host[n]) host[n] = out[`${n}_next`].data as Float32Array;
      return (out.loss.data as Float32Array)[0];
    },
    read(use) {
      const w = { theta: tf.tensor1d(host.theta), m: tf.tensor1d(host.m), v: tf.tensor1d(host.v), ema: host.ema ? tf.tensor1d(host.ema) : null };
      try {
        return use(w);
      } finally {
        tf.dispose([w.theta, w.m, w.v, ...(w.ema ? [w.ema] : [])]);
      }
    },
    dispose: () => session.release(),
  };
}
