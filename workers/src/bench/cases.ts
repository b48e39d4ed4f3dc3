/**
 * What the benchmark times: the engine's real networks at the preset experiments' sizes, each on
 * the tasks a sweep runs — a training step, a guided sampling step (CFG and classifier guidance) and
 * scoring (the evaluator's forward pass) — and a training step of every other network a preset
 * trains (evaluators, autoguidance guides, other presets' ε-nets).
 */
import { expandSweep, getPreset, listPresets, parseSpec, type ModelConfig, type PresetSize, type SweepSpec } from '@guidance-lab/experiments';
import { classifierConfig, epsNetConfig, type ClassifierConfig, type NetworkConfig } from '../engine/networks/index';

export type Task = 'train' | 'sample-cfg' | 'sample-cg' | 'score';

export interface BenchCase {
  /** Stable id, e.g. "mnist/unet-eps/train"; `--only` matches against it. */
  id: string;
  /** Human name of the network, e.g. "U-Net 32/64/64". */
  network: string;
  task: Task;
  /** Images (or 2-D points) per step. */
  batch: number;
  net: NetworkConfig;
  /** The noise-aware classifier that steers sample-cg. */
  classifier?: ClassifierConfig;
  /** The sweep as this network sees it: `model`/`training` are the ε-net's (a guide's own), `classifier` the classifier's (an evaluator's own). */
  spec: SweepSpec;
  /** Conv nets: minutes per step on the plain JS cpu backend, so that backend skips them. */
  conv: boolean;
}

/** Samples per sampler batch: runSampler's default batchSize (samplers/loop.ts). */
export const SAMPLE_BATCH = 256;
/** Images per evaluator batch: the pipeline's evaluate() batch (pipeline.ts). */
export const SCORE_BATCH = 500;

function describe(cfg: NetworkConfig): string {
  if (cfg.kind === 'mlp-eps') return `MLP ε-net ${cfg.hidden}×${cfg.depth}`;
  if (cfg.kind === 'unet-eps') return `U-Net ${cfg.channels.join('/')}`;
  const image = cfg.inputShape.length === 3;
  const what = cfg.timeConditioned ? 'noisy classifier' : 'evaluator';
  return `${what} ${image ? cfg.channels.join('/') : `${cfg.hidden}×${cfg.depth}`}`;
}

const dataOf = (spec: SweepSpec) => (spec.dataset.kind === 'toy2d' ? { shape: [2], classes: spec.dataset.classes } : { shape: [28, 28, 1], classes: 10 });

/** The presets whose sampling and scoring the bench times, in this order, and their short labels. */
const SAMPLED: Record<string, string> = { 'toy2d-tradeoff': 'toy2d', 'mnist-comparison': 'mnist' };

/** A preset's label at a size: an image preset's quick networks are other networks, so they get their own. */
const labelOf = (name: string, spec: SweepSpec, size: PresetSize) => {
  const base = SAMPLED[name] ?? name;
  return size === 'quick' && spec.dataset.kind !== 'toy2d' ? `${base}-quick` : base;
};

/** A case of `net` under `label`; its id names the network's role in the sweep (an ε-net's kind, 'guide-…', 'noisy-classifier', 'evaluator'). */
function makeCase(label: string, role: string, net: NetworkConfig, task: Task, batch: number, spec: SweepSpec, extra: Partial<BenchCase> = {}): BenchCase {
  return { id: `${label}/${role}/${task}`, network: `${describe(net)} (${label})`, task, batch, net, spec, conv: net.inputShape.length === 3, ...extra };
}

/** The training case of one model a sweep of `spec` trains; a guide is an ε-net whose model differs from the spec's. */
function trainingCase(label: string, spec: SweepSpec, config: ModelConfig): BenchCase {
  const data = dataOf(spec);
  if (config.kind === 'eps') {
    const net = epsNetConfig(config.model!, data);
    const role = JSON.stringify(config.model) === JSON.stringify(spec.model) ? net.kind : `guide-${net.kind}`;
    return makeCase(label, role, net, 'train', config.training!.batchSize, { ...spec, model: config.model!, training: config.training! });
  }
  const net = classifierConfig(config.classifier!, data, config.kind === 'noisy-classifier');
  return makeCase(label, config.kind, net, 'train', config.classifier!.batchSize, { ...spec, classifier: config.classifier! });
}

/**
 * A training step of every network the presets train at `sizes` — ε-nets, autoguidance guides,
 * noise-aware classifiers, evaluators — once per architecture and batch, labelled by the first
 * preset that trains it (the sampled presets first, then by name).
 */
function trainingCases(sizes: PresetSize[]): BenchCase[] {
  const rank = (name: string) => (name in SAMPLED ? Object.keys(SAMPLED).indexOf(name) : Infinity);
  const keyOf = (c: BenchCase) => JSON.stringify({ net: c.net, batch: c.batch });
  const seen = new Set<string>();
  const out: BenchCase[] = [];
  for (const size of sizes) {
    const presets = listPresets()
      .filter((p) => p.size === size)
      .sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
    for (const preset of presets) {
      const spec = parseSpec(preset.spec);
      for (const { config } of expandSweep(spec).models) {
        const c = trainingCase(labelOf(preset.name, spec, size), spec, config);
        if (seen.has(keyOf(c))) continue;
        seen.add(keyOf(c));
        out.push(c);
      }
    }
  }
  return out;
}

/** The sampling and scoring cases of one sampled preset: its ε-net guided both ways, its evaluator scoring. */
function inferenceCases(name: string, size: PresetSize, tasks: Task[]): BenchCase[] {
  const preset = getPreset(name, size);
  if (!preset) throw new Error(`bench: preset '${name}' not found in experiments/presets`);
  const spec = parseSpec(preset.spec);
  const data = dataOf(spec);
  const label = labelOf(name, spec, size);
  const eps = epsNetConfig(spec.model, data);
  const all: BenchCase[] = [
    makeCase(label, eps.kind, eps, 'sample-cfg', SAMPLE_BATCH, spec),
    makeCase(label, eps.kind, eps, 'sample-cg', SAMPLE_BATCH, spec, { classifier: classifierConfig(spec.classifier, data, true) }),
    makeCase(label, 'evaluator', classifierConfig(spec.evaluator, data, false), 'score', SCORE_BATCH, spec),
  ];
  return all.filter((c) => tasks.includes(c.task));
}

const INFERENCE: Task[] = ['sample-cfg', 'sample-cg', 'score'];

/**
 * Full run: a training step of every network the presets train at either size, then sampling and
 * scoring at toy2d's and MNIST's full sizes and the MNIST quick U-Net's CFG sampling.
 * `quick`: quick sizes only.
 */
export function benchCases(quick: boolean): BenchCase[] {
  if (quick) return [...trainingCases(['quick']), ...inferenceCases('toy2d-tradeoff', 'quick', INFERENCE), ...inferenceCases('mnist-comparison', 'quick', INFERENCE)];
  return [
    ...trainingCases(['full', 'quick']),
    ...inferenceCases('toy2d-tradeoff', 'full', INFERENCE),
    ...inferenceCases('mnist-comparison', 'full', INFERENCE),
    ...inferenceCases('mnist-comparison', 'quick', ['sample-cfg']),
  ];
}
