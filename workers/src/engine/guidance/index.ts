import { METHOD_DEFAULTS, METHOD_IDS, type MethodSetting } from '@guidance-lab/experiments/methods';
import type { EpsFn, GradLogProbFn, GuidanceRule } from '../types';
import { adaptiveProjected } from './apg';
import { autoguidance } from './autoguidance';
import { cfgPlusPlus } from './cfgPlusPlus';
import { cfgZeroStar } from './cfgZeroStar';
import { classifierGuidance } from './classifier';
import { classifierFree } from './classifierFree';
import { independentCondition } from './icg';
import { noGuidance } from './none';

export { adaptiveProjected, type ApgOptions } from './apg';
export { autoguidance } from './autoguidance';
export { cfgPlusPlus } from './cfgPlusPlus';
export { cfgZeroStar } from './cfgZeroStar';
export { classifierGuidance, gradLogProbOf } from './classifier';
export { classifierFree, type ClassifierFreeOptions } from './classifierFree';
export { independentCondition, independentLabels } from './icg';
export { noGuidance } from './none';
export { noiseLevel, scheduledScale, type Modifiers } from './scaleAt';

export interface GuidanceOptions {
  eps: EpsFn;
  /** Guidance scale s (CFG++: λ); ignored by 'none'. */
  scale: number;
  /** The null label ∅ = K (also the class count K). */
  nullLabel: number;
  /** ∇_x log f(y | x_t, t) of the noise-aware classifier; required by 'classifier'. */
  gradLogProb?: GradLogProbFn;
  /** The autoguidance guide's ε (a smaller, shorter-trained conditional ε-net); required by 'autoguidance'. */
  guideEps?: EpsFn;
  /** None and classifier guidance: the ε-net is unconditional, so it receives ∅ instead of y. */
  unconditionalEps?: boolean;
  /** Seed of ICG's random labels (the sampler's seed). */
  seed?: number;
}

/** The guidance rule a grid point names: its method and the method's parameters. */
export function makeGuidance(setting: MethodSetting | MethodSetting['method'], opts: GuidanceOptions): GuidanceRule {
  const given: MethodSetting = typeof setting === 'string' ? { method: setting } : setting;
  if (!METHOD_IDS.includes(given.method)) throw new Error(`guidance method must be one of: ${METHOD_IDS.join(', ')}; got ${String(given.method)}`);
  const m: MethodSetting = { ...METHOD_DEFAULTS[given.method], ...given };
  const modifiers = { interval: m.interval, schedule: m.schedule };
  const modelLabel = opts.unconditionalEps ? opts.nullLabel : undefined;
  switch (m.method) {
    case 'none':
      return noGuidance(opts.eps, modelLabel);
    case 'classifier-free':
      return classifierFree(opts.eps, opts.scale, opts.nullLabel, { ...modifiers, rescale: m.rescale });
    case 'classifier':
      if (!opts.gradLogProb) throw new Error('classifier guidance needs gradLogProb (the noise-aware classifier)');
      return classifierGuidance(opts.eps, opts.gradLogProb, opts.scale, modelLabel, modifiers);
    case 'autoguidance':
      if (!opts.guideEps) throw new Error('autoguidance needs guideEps (the guide network)');
      return autoguidance(opts.eps, opts.guideEps, opts.scale, modifiers);
    case 'cfg-pp':
      return cfgPlusPlus(opts.eps, opts.scale, opts.nullLabel);
    case 'apg':
      return adaptiveProjected(opts.eps, opts.scale, opts.nullLabel, { eta: m.eta!, normThreshold: m.normThreshold!, momentum: m.momentum! });
    case 'cfg-zero-star':
      return cfgZeroStar(opts.eps, opts.scale, opts.nullLabel, m.zeroInitSteps);
    case 'icg':
      return independentCondition(opts.eps, opts.scale, opts.nullLabel, opts.seed ?? 0);
  }
}
