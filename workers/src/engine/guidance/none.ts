import type { EpsFn, GuidanceRule } from '../types';
import { withModelLabel } from './modelLabel';

/** No guidance: ε(x, t, y) with y as given, or with `modelLabel` (∅ for an unconditional model). */
export function noGuidance(eps: EpsFn, modelLabel?: number): GuidanceRule {
  return { name: 'none', scale: 0, eps: withModelLabel(eps, modelLabel, 'no guidance') };
}
