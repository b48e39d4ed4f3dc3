/** ε-net training with condition dropout (DDPM Alg. 1 + Ho & Salimans Alg. 1). */
import * as tf from '@tensorflow/tfjs-core';
import type { SweepSpec } from '@guidance-lab/experiments/spec';
import { applyEps, epsNetConfig, type EpsNetConfig } from '../networks/index';
import type { LabelledData, NoiseSchedule } from '../types';
import { drawBatch } from './batches';
import { isWeighted, snrWeights, weightedEpsLoss } from './lossWeight';
import { trainLoop, type TrainHooks, type TrainResult } from './loop';
import type { LossFn } from './update';

export interface TrainEpsNetOptions extends TrainHooks {
  data: LabelledData;
  schedule: NoiseSchedule;
  model: SweepSpec['model'];
  training: SweepSpec['training'];
  /** Probability of replacing the label by ∅: 1 = unconditional, 0 = purely conditional. */
  pUncond: number;
  seed: number;
}

/** The ε-net's loss: the squared error of ε_θ against the batch's ε, weighted per sample by the batch's `w` when it has one. */
export const epsNetLoss =
  (config: EpsNetConfig): LossFn =>
  (params, b) =>
    weightedEpsLoss(b.eps, applyEps(config, params, b.x, b.t as tf.Tensor1D, b.y as tf.Tensor1D), b.w ?? null);

/**
 * Minimises E‖ε − ε_θ(√ᾱ_t x₀ + √(1−ᾱ_t) ε, t, c)‖² with t ~ U{0..T−1} and c → ∅ with probability
 * p_uncond; with `training.minSnrGamma` (γ) and `training.snrFloor` (λ), each sample's term is weighted by
 * clamp(SNR_t, λ, γ)/SNR_t, at most `training.maxLossWeight` (lossWeight.ts).
 */
export function trainEpsNet(o: TrainEpsNetOptions): Promise<TrainResult> {
  if (!(o.pUncond >= 0 && o.pUncond <= 1)) throw new Error(`pUncond must be a number from 0 to 1, got ${o.pUncond}`);
  const config = epsNetConfig(o.model, { shape: o.data.shape, classes: o.data.classes });
  const { steps, batchSize, learningRate, emaDecay, checkpointEvery, warmupSteps, lrDecay, minSnrGamma, snrFloor, maxLossWeight } = o.training;
  return trainLoop({
    ...o,
    role: 'eps',
    config,
    run: { seed: o.seed, steps, batchSize, learningRate, checkpointEvery, emaDecay, warmupSteps: warmupSteps ?? null, cosineDecay: lrDecay === 'cosine' ? 1 : null, pUncond: o.pUncond, T: o.schedule.T, minSnrGamma: minSnrGamma ?? null, snrFloor: snrFloor ?? null, maxLossWeight: maxLossWeight ?? null },
    batch: (step) => {
      const b = drawBatch(o.data, o.schedule, batchSize, o.pUncond, o.seed, step);
      const shape = [batchSize, ...o.data.shape];
      const batch = { x: { data: b.x, shape }, eps: { data: b.eps, shape }, t: { data: b.t, shape: [batchSize] }, y: { data: b.y, shape: [batchSize] } };
      return isWeighted(o.training) ? { ...batch, w: { data: snrWeights(o.schedule, b.t, o.training), shape: [batchSize] } } : batch;
    },
    loss: epsNetLoss(config),
  });
}
