/**
 * Where a run's optimiser steps execute: eagerly on the tfjs backend, or as one exported graph on
 * onnxruntime (onnxStepEngine.ts; on 2 CPU cores ~4× faster than tfjs-wasm for the U-Nets, ~10× for
 * the MLPs). `GUIDANCE_TRAINING=auto|onnxruntime|tfjs` chooses; auto takes onnxruntime when it
 * loads. Both run the same `updateStep`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ortIfWanted } from '../onnx/session';
import type { StepEngine, TrainingEngine } from './engineTypes';
import { onnxStepEngine } from './onnxStepEngine';
import { batchTensors, disposeVectors, scalarTensors, updateStep, type FlatVectors, type HostBatch, type StepDefinition } from './update';

export type { StepEngine, TrainingEngine } from './engineTypes';

/** The eager engine; it takes ownership of `initial`. */
export function tfjsStepEngine(def: StepDefinition, initial: FlatVectors<tf.Tensor1D>): StepEngine {
  let w = initial;
  return {
    name: 'tfjs',
    shards: 1,
    async step(batch, s) {
      const [loss, theta, m, v, ema = null] = tf.tidy(() => {
        const r = updateStep(def, w, batchTensors(batch), scalarTensors(s));
        return [r.loss, r.theta, r.m, r.v, ...(r.ema ? [r.ema] : [])];
      }) as tf.Tensor1D[];
      disposeVectors(w);
      w = { theta, m, v, ema };
      const value = (await loss.data())[0];
      loss.dispose();
      return value;
    },
    read: (use) => use(w),
    dispose: async () => disposeVectors(w),
  };
}

/** The engine GUIDANCE_TRAINING (or `preference`) names, for a run starting from `initial` (taken over). */
export async function openStepEngine(def: StepDefinition, initial: FlatVectors<tf.Tensor1D>, example: HostBatch, preference?: TrainingEngine): Promise<StepEngine> {
  let ort;
  try {
    ort = await ortIfWanted('GUIDANCE_TRAINING', preference);
  } catch (error) {
    disposeVectors(initial);
    throw error;
  }
  return ort ? onnxStepEngine(ort, def, initial, example) : tfjsStepEngine(def, initial);
}
