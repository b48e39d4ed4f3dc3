/**
 * Grid expansion: a validated spec becomes the models it needs (each trained once, keyed by a
 * content hash) and one sample-and-score point per guidance type × p_uncond × scale × seed.
 */
import { createHash } from 'node:crypto';
import type { GuidanceType, SweepSpec } from './spec';

export type ModelKind = 'eps' | 'noisy-classifier' | 'evaluator';

/** Everything that determines a trained model's weights; its hash is the model's identity. */
export interface ModelConfig {
  kind: ModelKind;
  dataset: SweepSpec['dataset'];
  /** ε-net and noisy classifier only: the noise schedule they are trained under. */
  schedule?: SweepSpec['schedule'];
  /** ε-net only. */
  model?: SweepSpec['model'];
  training?: SweepSpec['training'];
  pUncond?: number;
  /** Noisy classifier and evaluator. */
  classifier?: SweepSpec['classifier'];
  seed: number;
}

export interface ModelJob {
  key: string;
  config: ModelConfig;
}

/** One grid point: what to sample, with which models, and how. */
export interface RunPoint {
  key: string;
  guidance: GuidanceType;
  /** p_uncond of the ε-net that is sampled. */
  pUncond: number;
  /** Guidance scale s; 0 for guidance "none". */
  scale: number;
  seed: number;
  sampler: SweepSpec['sampler'];
  samplesPerClass: number;
  epsModel: string;
  classifierModel: string | null;
  evaluatorModel: string;
}

export interface SweepPlan {
  models: ModelJob[];
  runs: RunPoint[];
}

/** JSON with object keys sorted, so equal configs hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 24);
}

/** The evaluator is shared by every seed and sweep on a dataset, so its seed is fixed. */
const EVALUATOR_SEED = 0;

/** The evaluator model a dataset is scored with (a sweep's, or another one to re-score it with). */
export const evaluatorConfig = (dataset: SweepSpec['dataset'], evaluator: SweepSpec['evaluator']): ModelConfig => ({ kind: 'evaluator', dataset, classifier: evaluator, seed: EVALUATOR_SEED });

export function expandSweep(spec: SweepSpec): SweepPlan {
  const models = new Map<string, ModelJob>();
  const add = (config: ModelConfig): string => {
    const key = contentHash(config);
    if (!models.has(key)) models.set(key, { key, config });
    return key;
  };
  const epsNet = (pUncond: number, seed: number) =>
    add({ kind: 'eps', dataset: spec.dataset, schedule: spec.schedule, model: spec.model, training: spec.training, pUncond, seed });

  const evaluatorModel = add(evaluatorConfig(spec.dataset, spec.evaluator));
  const runs: RunPoint[] = [];
  const point = (guidance: GuidanceType, pUncond: number, scale: number, seed: number, epsModel: string, classifierModel: string | null) => {
    const identity = { guidance, pUncond, scale, seed, sampler: spec.sampler, samplesPerClass: spec.samplesPerClass, epsModel, classifierModel, evaluatorModel };
    runs.push({ key: contentHash(identity), ...identity });
  };

  for (const seed of spec.seeds) {
    for (const guidance of spec.guidance) {
      if (guidance === 'none') {
        for (const p of spec.pUncond) point('none', p, 0, seed, epsNet(p, seed), null);
      } else if (guidance === 'classifier-free') {
        for (const p of spec.pUncond) {
          if (p === 0 || p === 1) continue; // one branch only: nothing to extrapolate between
          for (const s of spec.scales) point('classifier-free', p, s, seed, epsNet(p, seed), null);
        }
      } else {
        const p = spec.classifierGuidedPUncond;
        const classifier = add({ kind: 'noisy-classifier', dataset: spec.dataset, schedule: spec.schedule, classifier: spec.classifier, seed });
        for (const s of spec.scales) point('classifier', p, s, seed, epsNet(p, seed), classifier);
      }
    }
  }
  return { models: [...models.values()], runs };
}
