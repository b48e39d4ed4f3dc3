/**
 * The learning rate of each step: a linear warm-up from 0 over `warmupSteps` (Goyal et al. 2017),
 * then constant or a cosine decay to 0 at the last step (Loshchilov & Hutter 2017). The rate is a
 * per-step input of the optimiser step, like Adam's bias corrections, so one exported graph serves
 * every step.
 */
export interface LearningRateSchedule {
  learningRate: number;
  steps: number;
  /** Steps of linear warm-up (0: none). */
  warmupSteps?: number;
  /** After the warm-up: 'constant' (default) or 'cosine' decay to 0 at step `steps`. */
  decay?: 'constant' | 'cosine';
}

/** The rate of step t (1-based): lr·t/W during the warm-up, then lr or lr·½(1 + cos(π·(t − W)/(steps − W))). */
export function learningRateAt(s: LearningRateSchedule, t: number): number {
  const warmup = s.warmupSteps ?? 0;
  if (t <= warmup) return (s.learningRate * t) / warmup;
  if (s.decay !== 'cosine' || s.steps <= warmup) return s.learningRate;
  return 0.5 * s.learningRate * (1 + Math.cos((Math.PI * (t - warmup)) / (s.steps - warmup)));
}
