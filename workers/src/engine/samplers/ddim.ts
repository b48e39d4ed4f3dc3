import * as tf from '@tensorflow/tfjs-core';
import type { Sampler, StepContext } from './loop';
import { runSampler } from './loop';
import { isBounded, predictX0 } from './predictX0';

/**
 * One DDIM step (Song et al. 2021 eq. 12) with η-controlled noise, classifier guidance as a
 * shifted ε (Dhariwal & Nichol 2021 Alg. 2), and a rule's own re-noising ε (CFG++) when it gives one.
 */
export function ddimStep({ x, k, spaced, eps: guided, gradient, renoise, eta, bound, noise }: StepContext) {
  // 1. ᾱ_t and ᾱ_prev (the next, less noisy respaced timestep; 1 after the last).
  const abar = spaced.alphasCumprod[k];
  const abarPrev = spaced.alphasCumprodPrev[k];
  // 2. ε from the guidance rule; classifier guidance: ε̂ = ε − √(1−ᾱ_t)·s·∇log f(y|x_t) (D&N Alg. 2).
  let eps = gradient ? tf.sub(guided, tf.mul(gradient, Math.sqrt(1 - abar))) : guided;
  // 3. "Predicted x₀" (eq. 12); after clipping, ε is re-derived from the clipped x̂₀ so both agree.
  const x0 = predictX0(x, eps, abar, bound);
  if (isBounded(bound)) eps = tf.div(tf.sub(x, tf.mul(x0, Math.sqrt(abar))), Math.sqrt(1 - abar));
  // 4. σ_t(η) = η·√((1−ᾱ_prev)/(1−ᾱ_t))·√(1−ᾱ_t/ᾱ_prev) (eq. 16).
  const sigma = eta * Math.sqrt((1 - abarPrev) / (1 - abar)) * Math.sqrt(1 - abar / abarPrev);
  // 5. "Direction pointing to x_t": √(1−ᾱ_prev−σ²)·ε (eq. 12); CFG++ points with ε_u instead.
  const direction = tf.mul(renoise ?? eps, Math.sqrt(Math.max(0, 1 - abarPrev - sigma * sigma)));
  // 6. x_prev = √ᾱ_prev·x̂₀ + direction + σ·z (eq. 12).
  const xPrev = tf.add(tf.mul(x0, Math.sqrt(abarPrev)), direction);
  return sigma > 0 ? tf.add(xPrev, tf.mul(noise(), sigma)) : xPrev;
}

/** DDIM(η) sampling over `steps` respaced timesteps. */
export const sampleDdim: Sampler = (opts) => runSampler(opts, ddimStep);
