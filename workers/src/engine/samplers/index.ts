import { sampleDdim } from './ddim';
import { sampleDdpm } from './ddpm';
import type { Sampler } from './loop';

export { ddimStep, sampleDdim } from './ddim';
export { ddpmStep, sampleDdpm } from './ddpm';
export { guidedStep, type SampleOptions, type Sampler, type StepContext, type StepFn } from './loop';
export { stepNoise } from './noise';

export type SamplerName = 'ddpm' | 'ddim';

/** The sampler a spec names. */
export function getSampler(name: SamplerName): Sampler {
  switch (name) {
    case 'ddpm':
      return sampleDdpm;
    case 'ddim':
      return sampleDdim;
    default:
      throw new Error(`sampler must be ddpm or ddim, got ${String(name)}`);
  }
}
