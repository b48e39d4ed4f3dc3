import type { EpsFn, GuidanceRule } from '../types';
import { withModelLabel } from './modelLabel';

/** No guidance: ε(x, t, y) with y as given, or with `modelLabel` (∅ for an unconditional model). */
export function noGuidance(eps: EpsFn, modelLabel?: number): GuidanceRule {
  const epsOf = withModelLabel(eps, modelLabel, 'no guidance');
  return { name: 'none', scale: 0, guide: async (x, t, y) => ({ eps: await epsOf(x, t, y) }) };
}
