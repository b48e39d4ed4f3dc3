/**
 * What every step engine is (stepEngine.ts: tfjs and the choice; onnxStepEngine.ts: onnxruntime),
 * in a file of its own so that neither engine module imports the other.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { EngineChoice } from '../onnx/session';
import type { FlatVectors, HostBatch, StepScalars } from './update';

export type TrainingEngine = EngineChoice;

export interface StepEngine {
  readonly name: 'onnxruntime' | 'tfjs';
  /** Threads a step's batch is split between (1: the step is one call). */
  readonly shards: number;
  /** One optimiser step on the batch; returns the loss. */
  step(batch: HostBatch, s: StepScalars<number>): Promise<number>;
  /** Calls `use` with the current vectors as tfjs tensors, which stay the engine's (valid during the call). */
  read<T>(use: (w: FlatVectors<tf.Tensor1D>) => T): T;
  dispose(): Promise<void>;
}
