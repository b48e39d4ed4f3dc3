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

const specOf = (name: string, size: PresetSize): SweepSpec => {
  const preset = getPreset(name, size);
  if (!preset) throw new Error(`bench: preset '${name}' not found in experiments/presets`);
  return parseSpec(preset.spec);
};

const dataOf = (spec: SweepSpec) => (spec.dataset.kind === 'toy2d' ? { shape: [2], classes: spec.dataset.classes } : { shape: [28, 28, 1], classes: 10 });

/** A case of `net` under `label`; its id names the network's role in the sweep (an ε-net's kind, 'guide-…', 'noisy-classifier', 'evaluator'). */
function makeCase(label: string, role: string, net: NetworkConfig, task: Task, batch: number, spec: SweepSpec, extra: Partial<BenchCase> = {}): BenchCase {
  return { id: `${label}/${role}/${task}`, network: `${describe(net)} (${label})`, task, batch, net, spec, conv: net.inputShape.length === 3, ...extra };
}

/** The cases of one preset: its ε-net, noise-aware classifier and evaluator. */
function presetCases(name: string, size: PresetSize, label: string, tasks: Task[]): BenchCase[] {
  const spec = specOf(name, size);
  const data = dataOf(spec);
  const eps = epsNetConfig(spec.model, data);
  const noisy = classifierConfig(spec.classifier, data, true);
  const evaluator = classifierConfig(spec.evaluator, data, false);
  const all: BenchCase[] = [
    makeCase(label, eps.kind, eps, 'train', spec.training.batchSize, spec),
    makeCase(label, eps.kind, eps, 'sample-cfg', SAMPLE_BATCH, spec),
    makeCase(label, eps.kind, eps, 'sample-cg', SAMPLE_BATCH, spec, { classifier: noisy }),
    makeCase(label, 'noisy-classifier', noisy, 'train', spec.classifier.batchSize, spec),
    makeCase(label, 'evaluator', evaluator, 'train', spec.evaluator.batchSize, { ...spec, classifier: spec.evaluator }),
    makeCase(label, 'evaluator', evaluator, 'score', SCORE_BATCH, spec),
  ];
  return all.filter((c) => tasks.includes(c.task));
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
 * A training step of every network some preset trains at `size` and `cases` do not yet (same
 * architecture and batch): other presets' ε-nets and their autoguidance guides, labelled by the
 * first preset (by name) that trains each.
 */
function otherTrainingCases(size: PresetSize, cases: BenchCase[]): BenchCase[] {
  const keyOf = (c: BenchCase) => JSON.stringify({ net: c.net, batch: c.batch });
  const seen = new Set(cases.filter((c) => c.task === 'train').map(keyOf));
  const out: BenchCase[] = [];
  const presets = listPresets().filter((p) => p.size === size).sort((a, b) => a.name.localeCompare(b.name));
  for (const preset of presets) {
    const spec = parseSpec(preset.spec);
    const label = size === 'quick' && spec.dataset.kind !== 'toy2d' ? `${preset.name}-quick` : preset.name;
    for (const { config } of expandSweep(spec).models) {
      const c = trainingCase(label, spec, config);
      if (seen.has(keyOf(c))) continue;
      seen.add(keyOf(c));
      out.push(c);
    }
  }
  return out;
}

const ALL: Task[] = ['train', 'sample-cfg', 'sample-cg', 'score'];

/**
 * Full run: toy2d and MNIST at the presets' full sizes, the MNIST quick networks' training and CFG
 * sampling, and a training step of every other network the presets train at either size.
 * `quick`: quick sizes only.
 */
export function benchCases(quick: boolean): BenchCase[] {
  if (quick) {
    const cases = [...presetCases('toy2d-tradeoff', 'quick', 'toy2d', ALL), ...presetCases('mnist-comparison', 'quick', 'mnist-quick', ALL)];
    return [...cases, ...otherTrainingCases('quick', cases)];
  }
  const cases = [
    ...presetCases('toy2d-tradeoff', 'full', 'toy2d', ALL),
    ...presetCases('mnist-comparison', 'full', 'mnist', ALL),
    ...presetCases('mnist-comparison', 'quick', 'mnist-quick', ['train', 'sample-cfg']),
  ];
  const full = [...cases, ...otherTrainingCases('full', cases)];
  return [...full, ...otherTrainingCases('quick', full)];
}
