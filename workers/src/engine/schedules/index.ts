import type { NoiseSchedule } from '../types';
import { cosineSchedule } from './cosine';
import { linearSchedule } from './linear';

export { cosineAlphaBar, cosineSchedule } from './cosine';
export { linearSchedule } from './linear';
export { respace, type RespacedSchedule } from './respace';

/** The schedule a spec names ({ kind, T } as in experiments' ScheduleSpec). */
export function makeSchedule(spec: { kind: NoiseSchedule['kind']; T: number }): NoiseSchedule {
  switch (spec.kind) {
    case 'linear':
      return linearSchedule(spec.T);
    case 'cosine':
      return cosineSchedule(spec.T);
    default:
      throw new Error(`schedule kind must be linear or cosine, got ${String((spec as { kind: unknown }).kind)}`);
  }
}
