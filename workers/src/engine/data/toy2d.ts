/**
 * toy2d: a seeded class-conditional 2-D Gaussian mixture whose noised densities have closed forms,
 * so exact scores, exact ε* and the exact Bayes posterior p_t(y|x) exist for testing samplers and
 * guidance. Each of the K classes owns M isotropic modes; the K·M modes are interleaved around a
 * ring of radius ≈ 1, so neighbouring modes belong to different classes and classes partly overlap.
 *
 * Under x_t = √ᾱ·x₀ + √(1−ᾱ)·ε a mode N(μ_j, σ²I) becomes N(√ᾱ·μ_j, v·I) with v = ᾱσ² + 1 − ᾱ.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { DatasetSpec } from '@guidance-lab/experiments';
import { hashSeed, mulberry32, normal } from '../random';
import type { DatasetSplit, LabelledData, LogProbFn, NoiseSchedule, TensorEpsFn } from '../types';

export type Toy2dSpec = Extract<DatasetSpec, { kind: 'toy2d' }>;

export interface Toy2dMixture {
  classes: number;
  modesPerClass: number;
  /** Mode centres μ_j, [x, y] pairs, j = 0..K·M−1. */
  means: Float64Array;
  /** Class of mode j. */
  modeClass: Int32Array;
  /** Joint weights π_c·w_{c,m} of the modes; they sum to 1 (class priors π_c = 1/K). */
  weights: Float64Array;
  /** Standard deviation σ shared by every mode. */
  std: number;
}

/**
 * Mode spread: a third of the chord between neighbouring modes (capped at 0.25), so that at the
 * default K = 4, M = 3 the Bayes classifier labels an exact class sample as its own class ~85% of
 * the time — room for guidance to raise adherence.
 */
const STD_PER_CHORD = 1 / 3;
const MAX_STD = 0.25;

export function toy2dMixture({ classes, modesPerClass, seed }: { classes: number; modesPerClass: number; seed: number }): Toy2dMixture {
  if (!Number.isInteger(classes) || classes < 2 || classes > 10) throw new Error(`toy2d classes must be a whole number from 2 to 10, got ${classes}`);
  if (!Number.isInteger(modesPerClass) || modesPerClass < 1 || modesPerClass > 8) throw new Error(`toy2d modesPerClass must be a whole number from 1 to 8, got ${modesPerClass}`);
  const J = classes * modesPerClass;
  const rand = mulberry32(hashSeed(seed, 0));
  const rotation = 2 * Math.PI * rand();
  const means = new Float64Array(2 * J);
  const modeClass = new Int32Array(J);
  const within = new Float64Array(J);
  const classTotal = new Float64Array(classes);
  for (let j = 0; j < J; j++) {
    // Interleaved: mode j belongs to class j mod K; angle and radius jittered a little by the seed.
    const angle = rotation + (2 * Math.PI * (j + 0.3 * (rand() - 0.5))) / J;
    const radius = 1 + 0.2 * (rand() - 0.5);
    means[2 * j] = radius * Math.cos(angle);
    means[2 * j + 1] = radius * Math.sin(angle);
    modeClass[j] = j % classes;
    within[j] = 0.5 + rand();
    classTotal[j % classes] += within[j];
  }
  const weights = within.map((w, j) => w / classTotal[modeClass[j]] / classes);
  const chord = 2 * Math.sin(Math.PI / J);
  return { classes, modesPerClass, means, modeClass, weights, std: Math.min(MAX_STD, chord * STD_PER_CHORD) };
}

/** n seeded draws from the mixture (or from class c alone), with their labels. */
export function sampleToy2d(mix: Toy2dMixture, n: number, seed: number, c?: number): LabelledData {
  const rand = mulberry32(seed);
  const J = mix.modeClass.length;
  const p = mix.weights.map((w, j) => (c === undefined || mix.modeClass[j] === c ? w : 0));
  const total = p.reduce((a, b) => a + b, 0);
  const x = new Float32Array(2 * n);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let u = rand() * total;
    let j = 0;
    while (j < J - 1 && (u -= p[j]) >= 0) j++;
    while (p[j] === 0) j--; // u landed past the last positive weight through rounding
    x[2 * i] = mix.means[2 * j] + mix.std * normal(rand);
    x[2 * i + 1] = mix.means[2 * j + 1] + mix.std * normal(rand);
    y[i] = mix.modeClass[j];
  }
  return { shape: [2], x, y, classes: mix.classes, classNames: classNames(mix.classes) };
}

function classNames(K: number): string[] {
  return Array.from({ length: K }, (_, c) => `class ${c}`);
}

/** The toy2d dataset a spec describes: seeded train and held-out test draws of one mixture. */
export function makeToy2d(spec: Toy2dSpec): DatasetSplit {
  const mix = toy2dMixture(spec);
  return {
    name: `toy2d(K=${spec.classes}, M=${spec.modesPerClass}, seed=${spec.seed})`,
    train: sampleToy2d(mix, spec.trainSize, hashSeed(spec.seed, 1)),
    test: sampleToy2d(mix, spec.testSize, hashSeed(spec.seed, 2)),
  };
}

// ---- Closed forms in float64, one point at a time (for tests and checks) ----

/** log of each noised mode's weighted density at x: log(w_j) + log N(x; √ᾱ·μ_j, v·I), for modes of class c (all if c is absent). */
function weightedModeLogs(mix: Toy2dMixture, x: readonly number[], alphaBar: number, c?: number): { logs: number[]; modes: number[]; v: number } {
  const v = alphaBar * mix.std ** 2 + 1 - alphaBar;
  const a = Math.sqrt(alphaBar);
  const logs: number[] = [];
  const modes: number[] = [];
  for (let j = 0; j < mix.modeClass.length; j++) {
    if (c !== undefined && mix.modeClass[j] !== c) continue;
    const dx = x[0] - a * mix.means[2 * j];
    const dy = x[1] - a * mix.means[2 * j + 1];
    logs.push(Math.log(mix.weights[j]) - (dx * dx + dy * dy) / (2 * v) - Math.log(2 * Math.PI * v));
    modes.push(j);
  }
  return { logs, modes, v };
}

function logSumExp(xs: number[]): number {
  const m = Math.max(...xs);
  return m + Math.log(xs.reduce((s, x) => s + Math.exp(x - m), 0));
}

function checkClass(mix: Toy2dMixture, c: number | undefined): void {
  if (c !== undefined && !(Number.isInteger(c) && c >= 0 && c < mix.classes)) throw new Error(`toy2d class must be a whole number from 0 to ${mix.classes - 1}, got ${c}`);
}

/** log p_t(x | c), or log p_t(x) when c is absent, at noise level ᾱ. */
export function noisedLogDensity(mix: Toy2dMixture, x: readonly number[], alphaBar: number, c?: number): number {
  checkClass(mix, c);
  const lse = logSumExp(weightedModeLogs(mix, x, alphaBar, c).logs);
  return c === undefined ? lse : lse + Math.log(mix.classes); // divide by the class prior 1/K
}

/** ∇_x log p_t(x | c) (or of log p_t(x)): Σ_j r_j·(√ᾱ·μ_j − x)/v with responsibilities r_j. */
export function noisedScore(mix: Toy2dMixture, x: readonly number[], alphaBar: number, c?: number): [number, number] {
  checkClass(mix, c);
  const { logs, modes, v } = weightedModeLogs(mix, x, alphaBar, c);
  const lse = logSumExp(logs);
  const a = Math.sqrt(alphaBar);
  let gx = 0;
  let gy = 0;
  modes.forEach((j, i) => {
    const r = Math.exp(logs[i] - lse);
    gx += (r * (a * mix.means[2 * j] - x[0])) / v;
    gy += (r * (a * mix.means[2 * j + 1] - x[1])) / v;
  });
  return [gx, gy];
}

/** log p_t(c | x) = log p_t(x|c) + log π_c − log p_t(x) (Bayes with the class priors π_c = 1/K). */
export function classLogPosterior(mix: Toy2dMixture, x: readonly number[], alphaBar: number, c: number): number {
  return noisedLogDensity(mix, x, alphaBar, c) - Math.log(mix.classes) - noisedLogDensity(mix, x, alphaBar);
}

/** p_t(c | x) for every class. */
export function classPosterior(mix: Toy2dMixture, x: readonly number[], alphaBar: number): Float64Array {
  return Float64Array.from({ length: mix.classes }, (_, c) => Math.exp(classLogPosterior(mix, x, alphaBar, c)));
}

/** The Bayes classifier's label for each row of xs (clean data by default: ᾱ = 1). */
export function bayesClassify(mix: Toy2dMixture, xs: Float32Array, alphaBar = 1): Int32Array {
  const out = new Int32Array(xs.length / 2);
  for (let i = 0; i < out.length; i++) {
    const post = classPosterior(mix, [xs[2 * i], xs[2 * i + 1]], alphaBar);
    out[i] = post.indexOf(Math.max(...post));
  }
  return out;
}

/** Mean and covariance of the clean mixture (or of class c): Σ_j w_j(σ²I + μ_jμ_jᵀ) − mmᵀ. */
export function mixtureMoments(mix: Toy2dMixture, c?: number): { mean: [number, number]; cov: [[number, number], [number, number]] } {
  checkClass(mix, c);
  let total = 0;
  let mx = 0;
  let my = 0;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let j = 0; j < mix.modeClass.length; j++) {
    if (c !== undefined && mix.modeClass[j] !== c) continue;
    const w = mix.weights[j];
    const [ux, uy] = [mix.means[2 * j], mix.means[2 * j + 1]];
    total += w;
    mx += w * ux;
    my += w * uy;
    sxx += w * ux * ux;
    sxy += w * ux * uy;
    syy += w * uy * uy;
  }
  [mx, my, sxx, sxy, syy] = [mx, my, sxx, sxy, syy].map((s) => s / total);
  const s2 = mix.std ** 2;
  return { mean: [mx, my], cov: [[sxx - mx * mx + s2, sxy - mx * my], [sxy - mx * my, syy - my * my + s2]] };
}

/** Sample mean and (biased) covariance of 2-D rows, in the shape of mixtureMoments. */
export function empiricalMoments(xs: Float32Array): { mean: [number, number]; cov: [[number, number], [number, number]] } {
  const n = xs.length / 2;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) [mx, my] = [mx + xs[2 * i] / n, my + xs[2 * i + 1] / n];
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const [dx, dy] = [xs[2 * i] - mx, xs[2 * i + 1] - my];
    [sxx, sxy, syy] = [sxx + (dx * dx) / n, sxy + (dx * dy) / n, syy + (dy * dy) / n];
  }
  return { mean: [mx, my], cov: [[sxx, sxy], [sxy, syy]] };
}

// ---- Closed forms as engine functions (TensorEpsFn, LogProbFn) ----

/** ᾱ at each sample's original timestep, checked against the schedule. */
function alphaBarsAt(schedule: NoiseSchedule, t: Int32Array | Float32Array | Uint8Array): Float64Array {
  return Float64Array.from(t, (i) => {
    const abar = schedule.alphasCumprod[i];
    if (abar === undefined) throw new Error(`timestep must be a whole number from 0 to ${schedule.T - 1}, got ${i}`);
    return abar;
  });
}

/**
 * The exact ε*(x_t, t, y) = −√(1−ᾱ_t)·∇log p_t(x_t | y) for a class y < K, or −√(1−ᾱ_t)·∇log p_t(x_t)
 * for y = K (∅). Evaluated in float64 on the host (it is a test oracle, never differentiated).
 */
export function exactEps(mix: Toy2dMixture, schedule: NoiseSchedule): TensorEpsFn {
  return (x, t, y) => {
    const xs = x.dataSync();
    const abars = alphaBarsAt(schedule, t.dataSync() as Int32Array);
    const labels = y.dataSync();
    const out = new Float32Array(xs.length);
    for (let i = 0; i < abars.length; i++) {
      const c = labels[i] === mix.classes ? undefined : labels[i];
      const [gx, gy] = noisedScore(mix, [xs[2 * i], xs[2 * i + 1]], abars[i], c);
      const k = -Math.sqrt(1 - abars[i]);
      out[2 * i] = k * gx;
      out[2 * i + 1] = k * gy;
    }
    return tf.tensor(out, x.shape);
  };
}

/**
 * The exact log p_t(y | x_t) = log p_t(x|y) + log π_y − log p_t(x) (Bayes with the class priors, each
 * term a logsumexp), differentiable in x through its exact gradient ∇log p_t(x|y) − ∇log p_t(x).
 * Evaluated in float64 on the host, like exactEps.
 */
export function exactLogProb(mix: Toy2dMixture, schedule: NoiseSchedule): LogProbFn {
  return (x, t, y) => {
    const xs = x.dataSync();
    const abars = alphaBarsAt(schedule, t.dataSync() as Int32Array);
    const labels = y.dataSync();
    const n = abars.length;
    const value = new Float32Array(n);
    const grad = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) {
      const xi = [xs[2 * i], xs[2 * i + 1]];
      value[i] = classLogPosterior(mix, xi, abars[i], labels[i]);
      const [cx, cy] = noisedScore(mix, xi, abars[i], labels[i]);
      const [ux, uy] = noisedScore(mix, xi, abars[i]);
      grad[2 * i] = cx - ux;
      grad[2 * i + 1] = cy - uy;
    }
    const logProb = tf.customGrad(() => ({
      value: tf.tensor1d(value),
      gradFunc: (dy: tf.Tensor) => tf.mul(tf.expandDims(dy, 1), tf.tensor(grad, x.shape)),
    }));
    return logProb(x) as tf.Tensor1D;
  };
}
