import type { EpsFn, GradLogProbFn, GuidanceRule } from '../types';
import { classifierGuidance } from './classifier';
import { classifierFree } from './classifierFree';
import { noGuidance } from './none';

export { classifierGuidance, gradLogProbOf } from './classifier';
export { classifierFree } from './classifierFree';
export { noGuidance } from './none';

export interface GuidanceOptions {
  eps: EpsFn;
  /** Guidance scale s; ignored by 'none'. */
  scale: number;
  /** The null label ∅ = K. */
  nullLabel: number;
  /** ∇_x log f(y | x_t, t) of the noise-aware classifier; required by 'classifier'. */
  gradLogProb?: GradLogProbFn;
  /** None and classifier guidance: the ε-net is unconditional, so it receives ∅ instead of y. */
  unconditionalEps?: boolean;
}

/** The guidance rule a grid point names. */
export function makeGuidance(name: GuidanceRule['name'], opts: GuidanceOptions): GuidanceRule {
  switch (name) {
    case 'none':
      return noGuidance(opts.eps, opts.unconditionalEps ? opts.nullLabel : undefined);
    case 'classifier-free':
      return classifierFree(opts.eps, opts.scale, opts.nullLabel);
    case 'classifier':
      if (!opts.gradLogProb) throw new Error('classifier guidance needs gradLogProb (the noise-aware classifier)');
      return classifierGuidance(opts.eps, opts.gradLogProb, opts.scale, opts.unconditionalEps ? opts.nullLabel : undefined);
    default:
      throw new Error(`guidance must be one of: none, classifier, classifier-free; got ${String(name)}`);
  }
}
