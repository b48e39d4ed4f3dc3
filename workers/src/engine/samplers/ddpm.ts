import * as tf from '@tensorflow/tfjs-core';
import type { Sampler, StepContext } from './loop';
import { runSampler } from './loop';
import { ddimStep } from './ddim';
import { predictX0 } from './predictX0';

/**
 * One ancestral DDPM step over the respaced chain (Ho et al. 2020 Alg. 2, with σ_t² = β̃_t), with
 * classifier guidance as a mean shift (Dhariwal & Nichol 2021 Alg. 1). A rule's own re-noising ε
 * (CFG++) makes it the DDIM(η = 1) step it equals, which re-noises x̂₀ with that ε.
 */
export function ddpmStep(c: StepContext) {
  if (c.renoise) return ddimStep({ ...c, eta: 1 });
  const { x, k, spaced, eps, gradient, bound, noise } = c;
  // 1. ᾱ_t, ᾱ_prev and the respaced β'_t, α'_t = 1 − β'_t, and the posterior variance β̃_t.
  const abar = spaced.alphasCumprod[k];
  const abarPrev = spaced.alphasCumprodPrev[k];
  const beta = spaced.betas[k];
  const variance = spaced.posteriorVariance[k];
  // 2. ε from the guidance rule, then x̂₀ (DDPM eq. 15).
  const x0 = predictX0(x, eps, abar, bound);
  // 3. Posterior mean μ̃_t(x_t, x̂₀) = √ᾱ_prev·β'/(1−ᾱ)·x̂₀ + √α'·(1−ᾱ_prev)/(1−ᾱ)·x_t (DDPM eq. 7).
  let mean = tf.add(tf.mul(x0, (Math.sqrt(abarPrev) * beta) / (1 - abar)), tf.mul(x, (Math.sqrt(1 - beta) * (1 - abarPrev)) / (1 - abar)));
  // 4. Classifier guidance: μ + Σ_t·s·∇log f(y|x_t) with Σ_t = β̃_t (D&N Alg. 1).
  if (gradient) mean = tf.add(mean, tf.mul(gradient, variance));
  // 5. x_prev = μ + σ_t·z; the last step (β̃ = 0) returns the mean.
  return variance > 0 ? tf.add(mean, tf.mul(noise(), Math.sqrt(variance))) : mean;
}

/** DDPM ancestral sampling over `steps` respaced timesteps. */
export const sampleDdpm: Sampler = (opts) => runSampler(opts, ddpmStep);
