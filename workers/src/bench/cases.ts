/**
 * What the benchmark times: the engine's real networks at the preset experiments' sizes, each on
 * the tasks a sweep runs — a training step, a guided sampling step (CFG and classifier guidance) and
 * scoring (the evaluator's forward pass).
 */
import { getPreset, parseSpec, type SweepSpec } from '@guidance-lab/experiments';
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

/** The cases of one preset: its ε-net, noise-aware classifier and evaluator. */
function presetCases(name: string, quick: boolean, label: string, tasks: Task[]): BenchCase[] {
  const preset = getPreset(name, quick);
  if (!preset) throw new Error(`bench: preset '${name}' not found in experiments/presets`);
  const spec = parseSpec(preset.spec);
  const data = spec.dataset.kind === 'toy2d' ? { shape: [2], classes: spec.dataset.classes } : { shape: [28, 28, 1], classes: 10 };
  const eps = epsNetConfig(spec.model, data);
  const noisy = classifierConfig(spec.classifier, data, true);
  const evaluator = classifierConfig(spec.evaluator, data, false);
  const conv = data.shape.length === 3;
  const make = (net: NetworkConfig, task: Task, batch: number, extra: Partial<BenchCase> = {}): BenchCase => ({
    id: `${label}/${net.kind === 'classifier' ? (net.timeConditioned ? 'noisy-classifier' : 'evaluator') : net.kind}/${task}`,
    network: `${describe(net)} (${label})`,
    task,
    batch,
    net,
    spec,
    conv,
    ...extra,
  });
  const all: BenchCase[] = [
    make(eps, 'train', spec.training.batchSize),
    make(eps, 'sample-cfg', SAMPLE_BATCH),
    make(eps, 'sample-cg', SAMPLE_BATCH, { classifier: noisy }),
    make(noisy, 'train', spec.classifier.batchSize),
    make(evaluator, 'score', SCORE_BATCH),
  ];
  return all.filter((c) => tasks.includes(c.task));
}

const ALL: Task[] = ['train', 'sample-cfg', 'sample-cg', 'score'];

/** Full run: toy2d and MNIST at the presets' full sizes, plus the MNIST quick U-Net. `quick`: quick sizes only. */
export function benchCases(quick: boolean): BenchCase[] {
  if (quick) return [...presetCases('toy2d-tradeoff', true, 'toy2d', ALL), ...presetCases('mnist-comparison', true, 'mnist-quick', ALL)];
  return [
    ...presetCases('toy2d-tradeoff', false, 'toy2d', ALL),
    ...presetCases('mnist-comparison', false, 'mnist', ALL),
    ...presetCases('mnist-comparison', true, 'mnist-quick', ['train', 'sample-cfg']),
  ];
}
