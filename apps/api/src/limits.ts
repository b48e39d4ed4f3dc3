/** Bounds on what one launch may ask for, so a typo cannot queue a week of compute. */
export interface Limits {
  /** GUIDANCE_MAX_RUNS: grid points per sweep. */
  maxRuns: number;
  /** GUIDANCE_MAX_SAMPLES: samples drawn over the whole sweep (runs × classes × samplesPerClass). */
  maxSamples: number;
  /** GUIDANCE_MAX_SAMPLE_BYTES: bytes of stored samples per sweep, uncompressed (experiments' sampleStoreEstimate). */
  maxSampleBytes: number;
}

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number of at least 1 (got "${raw}")`);
  return value;
}

export function limitsFromEnv(): Limits {
  return {
    maxRuns: positiveInt('GUIDANCE_MAX_RUNS', 200),
    maxSamples: positiveInt('GUIDANCE_MAX_SAMPLES', 2_000_000),
    maxSampleBytes: positiveInt('GUIDANCE_MAX_SAMPLE_BYTES', 2 ** 30),
  };
}
