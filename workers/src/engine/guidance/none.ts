import type { EpsFn, GuidanceRule } from '../types';

/** No guidance: ε(x, t, y) with y as given (pass the null label to sample an unconditional model). */
export function noGuidance(eps: EpsFn): GuidanceRule {
  return { name: 'none', scale: 0, eps };
}
