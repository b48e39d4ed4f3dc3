/**
 * Grid expansion: a validated spec becomes the models it needs (each trained once, keyed by a
 * content hash) and one sample-and-score point per method × parameters × p_uncond × scale × seed.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical';
import { expandMethod, methodFamily, NEEDS_UNCONDITIONAL, type GuideSize, type MethodId, type MethodParams } from './methods';
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
  /** The original guidance type the method belongs to (every method without a classifier is classifier-free). */
  guidance: GuidanceType;
  method: MethodId;
  /** The method's parameters after defaults (no scale). */
  methodParams: MethodParams;
  /** p_uncond of the ε-net that is sampled. */
  pUncond: number;
  /** Guidance scale s; 0 for guidance "none". */
  scale: number;
  seed: number;
  sampler: SweepSpec['sampler'];
  samplesPerClass: number;
  epsModel: string;
  classifierModel: string | null;
  /** Autoguidance: the guide ε-net. */
  guideModel: string | null;
  evaluatorModel: string;
}

export { canonicalJson };

export interface SweepPlan {
  models: ModelJob[];
  runs: RunPoint[];
}

export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 24);
}

/** The evaluator is shared by every seed and sweep on a dataset, so its seed is fixed. */
const EVALUATOR_SEED = 0;

/** The evaluator model a dataset is scored with (a sweep's, or another one to re-score it with). */
export const evaluatorConfig = (dataset: SweepSpec['dataset'], evaluator: SweepSpec['evaluator']): ModelConfig => ({ kind: 'evaluator', dataset, classifier: evaluator, seed: EVALUATOR_SEED });

/** The autoguidance guide's size when the spec leaves it out: half the main model's width, 1/8 of its training. */
function defaultGuide(spec: SweepSpec): GuideSize {
  return {
    hidden: Math.max(16, Math.round(spec.model.hidden / 2)),
    depth: spec.model.depth,
    channels: spec.model.channels.map((c) => Math.max(4, Math.round(c / 2))),
    steps: Math.max(1, Math.round(spec.training.steps / 8)),
  };
}

export function expandSweep(spec: SweepSpec): SweepPlan {
  const models = new Map<string, ModelJob>();
  const add = (config: ModelConfig): string => {
    const key = contentHash(config);
    if (!models.has(key)) models.set(key, { key, config });
    return key;
  };
  const epsNet = (pUncond: number, seed: number) =>
    add({ kind: 'eps', dataset: spec.dataset, schedule: spec.schedule, model: spec.model, training: spec.training, pUncond, seed });
  // The guide sees the same data, condition dropout and schedule; only its size and training length differ.
  const guideNet = (guide: GuideSize, pUncond: number, seed: number) =>
    add({
      kind: 'eps',
      dataset: spec.dataset,
      schedule: spec.schedule,
      model: { ...spec.model, hidden: guide.hidden, depth: guide.depth, channels: guide.channels },
      training: { ...spec.training, steps: guide.steps, checkpointEvery: Math.min(spec.training.checkpointEvery, guide.steps) },
      pUncond,
      seed,
    });

  const evaluatorModel = add(evaluatorConfig(spec.dataset, spec.evaluator));
  const runs = new Map<string, RunPoint>();
  const guideDefaults = defaultGuide(spec);

  for (const seed of spec.seeds) {
    for (const entry of spec.methods) {
      const scales = ('scales' in entry && entry.scales) || (entry.method === 'cfg-pp' ? spec.scales.filter((s) => s <= 1) : spec.scales);
      for (const { method, ...methodParams } of expandMethod(entry, guideDefaults)) {
        const point = (pUncond: number, scale: number, epsModel: string, classifierModel: string | null, guideModel: string | null) => {
          const identity = {
            guidance: methodFamily(method),
            method,
            methodParams,
            pUncond,
            scale,
            seed,
            sampler: spec.sampler,
            samplesPerClass: spec.samplesPerClass,
            epsModel,
            classifierModel,
            guideModel,
            evaluatorModel,
          };
          const key = contentHash(identity);
          runs.set(key, { key, ...identity });
        };
        if (method === 'none') {
          for (const p of spec.pUncond) point(p, 0, epsNet(p, seed), null, null);
        } else if (method === 'classifier') {
          const p = spec.classifierGuidedPUncond;
          const classifier = add({ kind: 'noisy-classifier', dataset: spec.dataset, schedule: spec.schedule, classifier: spec.classifier, seed });
          for (const s of scales) point(p, s, epsNet(p, seed), classifier, null);
        } else {
          for (const p of spec.pUncond) {
            // ε(x, ∅) needs both branches; the conditional-only methods (autoguidance, ICG) need y: p_uncond = 0 is their baseline.
            if (p === 1 || (p === 0 && NEEDS_UNCONDITIONAL.includes(method))) continue;
            const guide = method === 'autoguidance' ? guideNet(methodParams.guide!, p, seed) : null;
            for (const s of scales) point(p, s, epsNet(p, seed), null, guide);
          }
        }
      }
    }
  }
  return { models: [...models.values()], runs: [...runs.values()] };
}
