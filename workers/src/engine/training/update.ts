/**
 * One optimiser step as a function of tensors only — loss and gradient on one flat parameter vector,
 * Adam, the EMA — so the same code runs eagerly on tfjs and, traced once, as an onnxruntime graph
 * (onnxStepEngine.ts). Everything that changes from step to step (the batch, the learning
 * rate, Adam's bias corrections, the EMA's decay) is an argument.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Params } from '../networks/index';
import { adamBias, adamUpdate } from './adam';
import { emaDecayAt, emaUpdate } from './ema';
import { unflatten, type Layout } from './flat';
import { learningRateAt, type LearningRateSchedule } from './learningRate';

/** A minibatch as host arrays, each named input with its shape (Float32Array: float32, Int32Array: int32). */
export type HostBatch = Record<string, { data: Float32Array | Int32Array; shape: number[] }>;

/** The scalar loss of `params` on a batch (its host arrays as tensors). */
export type LossFn = (params: Params, batch: Record<string, tf.Tensor>) => tf.Scalar;

/** The vectors a run updates: parameters, Adam's moments and (ε-nets) the EMA. */
export interface FlatVectors<T> {
  theta: T;
  m: T;
  v: T;
  ema: T | null;
}

type VectorName = keyof FlatVectors<unknown>;

/** The vectors, each mapped by `f` (a missing EMA stays missing). */
export function mapVectors<T, U>(w: FlatVectors<T>, f: (value: T, name: VectorName) => U): FlatVectors<U> {
  return { theta: f(w.theta, 'theta'), m: f(w.m, 'm'), v: f(w.v, 'v'), ema: w.ema === null ? null : f(w.ema, 'ema') };
}

/** The vectors present, with their names, in a fixed order. */
export function presentVectors<T>(w: FlatVectors<T>): [VectorName, T][] {
  const all: [VectorName, T | null][] = [['theta', w.theta], ['m', w.m], ['v', w.v], ['ema', w.ema]];
  return all.filter((e): e is [VectorName, T] => e[1] !== null);
}

export const disposeVectors = (w: FlatVectors<tf.Tensor>): void => tf.dispose(presentVectors(w).map(([, t]) => t));

/** The dtype a host array holds. */
export const dtypeOf = (data: Float32Array | Int32Array): 'float32' | 'int32' => (data instanceof Int32Array ? 'int32' : 'float32');

/** The learning rate, Adam's bias corrections and the EMA's weights d and 1 − d of one step. */
export interface StepScalars<T> {
  lr: T;
  biasM: T;
  biasV: T;
  keep: T;
  take: T;
}

/** The scalars of step t (1-based); `emaDecay` null: no EMA (its weights are then unused). */
export function stepScalars(t: number, lr: LearningRateSchedule, emaDecay: number | null): StepScalars<number> {
  const [biasM, biasV] = adamBias(t);
  const d = emaDecay === null ? 0 : emaDecayAt(emaDecay, t - 1);
  return { lr: learningRateAt(lr, t), biasM, biasV, keep: d, take: 1 - d };
}

/** What a step needs besides its arguments. */
export interface StepDefinition {
  layout: Layout;
  loss: LossFn;
}

/** The loss on a batch and its gradient with respect to the flat parameters (call inside tidy). */
export function lossAndGradient(def: StepDefinition, theta: tf.Tensor, batch: Record<string, tf.Tensor>): { loss: tf.Scalar; grad: tf.Tensor } {
  const { value, grad } = tf.valueAndGrad((flat: tf.Tensor) => def.loss(unflatten(flat, def.layout), batch))(theta);
  return { loss: value, grad };
}

/** Adam's update by `grad`, then the EMA of the new parameters (call inside tidy). */
export function applyGradient(w: FlatVectors<tf.Tensor>, grad: tf.Tensor, s: StepScalars<tf.Scalar>): FlatVectors<tf.Tensor> {
  const u = adamUpdate(w.theta, grad, w.m, w.v, { m: s.biasM, v: s.biasV }, s.lr);
  return { theta: u.theta, m: u.m, v: u.v, ema: w.ema ? emaUpdate(w.ema, u.theta, s) : null };
}

/** The step: new vectors and the loss (call inside tidy). */
export function updateStep(def: StepDefinition, w: FlatVectors<tf.Tensor>, batch: Record<string, tf.Tensor>, s: StepScalars<tf.Scalar>): FlatVectors<tf.Tensor> & { loss: tf.Scalar } {
  const { loss, grad } = lossAndGradient(def, w.theta, batch);
  return { loss, ...applyGradient(w, grad, s) };
}

/** A host batch as tfjs tensors (new tensors). */
export const batchTensors = (batch: HostBatch): Record<string, tf.Tensor> =>
  Object.fromEntries(Object.entries(batch).map(([n, b]) => [n, tf.tensor(b.data, b.shape, dtypeOf(b.data))]));

/** Step scalars as tfjs scalars (new tensors). */
export const scalarTensors = (s: StepScalars<number>): StepScalars<tf.Scalar> => ({
  lr: tf.scalar(s.lr),
  biasM: tf.scalar(s.biasM),
  biasV: tf.scalar(s.biasV),
  keep: tf.scalar(s.keep),
  take: tf.scalar(s.take),
});
