/**
 * A sweep's compute, estimated before it is accepted, so one request cannot take the machine for
 * weeks. The unit is a parameter-evaluation: one network parameter used for one example once.
 * Training costs steps × batch × parameters × 3 (forward and backward); sampling costs
 * samples × sampler steps × the parameters each step evaluates (both ε branches for
 * classifier-free guidance, the ε-net plus the classifier's forward and backward for classifier
 * guidance). Parameter counts are estimates from the spec's sizes (3×3 convolutions for U-Nets and
 * CNN classifiers, dense layers for the 2-D MLPs), close enough to rank and bound sweeps.
 */
import { trainingWork } from './cost';
import { datasetPathIssues, type DataRoot } from './dataRoot';
import { expandSweep, type ModelConfig } from './grid';
import { datasetClasses } from './samples';
import { SpecError, type SweepSpec } from './spec';

/** Default GUIDANCE_MAX_COMPUTE: about 20× the largest preset (mnist-cfg-puncond, full size: 2.9e12). */
export const DEFAULT_MAX_COMPUTE = 6e13;

export interface ComputeEstimate {
  training: number;
  sampling: number;
  total: number;
}

/** Dense residual MLP: input and output layers plus two hidden×hidden layers per block. */
const mlpParams = (hidden: number, depth: number) => 2 * depth * hidden * hidden + 8 * hidden;

/** U-Net: two 3×3 convolutions per residual block, blocks on the way down and up plus one per level in between. */
const unetParams = (channels: number[], blocksPerLevel: number) => channels.reduce((sum, c) => sum + (2 * blocksPerLevel + 1) * 2 * 9 * c * c, 0);

/** CNN classifier: one 3×3 convolution pair per level. */
const cnnParams = (channels: number[]) => channels.reduce((sum, c) => sum + 2 * 9 * c * c, 0);

export function modelParams(config: Pick<ModelConfig, 'kind' | 'dataset' | 'model' | 'classifier'>): number {
  const image = config.dataset.kind !== 'toy2d';
  if (config.kind === 'eps') {
    const m = config.model!;
    return image ? unetParams(m.channels, m.blocksPerLevel) : mlpParams(m.hidden, m.depth);
  }
  const c = config.classifier!;
  return image ? cnnParams(c.channels) : mlpParams(c.hidden, c.depth);
}

export function estimateCompute(spec: SweepSpec): ComputeEstimate {
  const plan = expandSweep(spec);
  const params = new Map(plan.models.map((m) => [m.key, modelParams(m.config)]));
  const classes = datasetClasses(spec.dataset);
  const training = plan.models.reduce((sum, { key, config }) => sum + 3 * trainingWork(config).examples * params.get(key)!, 0);
  const sampling = plan.runs.reduce((sum, run) => {
    const eps = params.get(run.epsModel)!;
    const perStep =
      run.guidance === 'classifier-free' ? 2 * eps : run.guidance === 'classifier' ? eps + 3 * params.get(run.classifierModel!)! : eps;
    return sum + classes * run.samplesPerClass * run.sampler.steps * perStep;
  }, 0);
  return { training, sampling, total: training + sampling };
}

/** GUIDANCE_MAX_COMPUTE, in parameter-evaluations (e.g. 6e13). */
export function maxComputeFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.GUIDANCE_MAX_COMPUTE;
  if (raw === undefined || raw === '') return DEFAULT_MAX_COMPUTE;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`GUIDANCE_MAX_COMPUTE must be a positive number of parameter-evaluations, e.g. 6e13 (got "${raw}")`);
  return value;
}

const sci = (x: number) => x.toExponential(2);

/** null when the sweep fits; otherwise a message with the estimate and the limit. */
export function computeOverBudget(spec: SweepSpec, maxCompute: number): string | null {
  const e = estimateCompute(spec);
  if (e.total <= maxCompute) return null;
  return (
    `needs an estimated ${sci(e.total)} parameter-evaluations (training ${sci(e.training)}: steps × batch × parameters × 3; ` +
    `sampling ${sci(e.sampling)}: samples × sampler steps × parameters), more than GUIDANCE_MAX_COMPUTE = ${sci(maxCompute)}; ` +
    'train fewer steps or smaller models, or draw fewer samples or sampler steps'
  );
}

/**
 * What a spec must pass beyond its schema before anyone accepts it (API launch, CLI sweep): its
 * dataset paths exist inside the data root, and its compute fits the budget. Throws SpecError.
 */
export function admitSpec(spec: SweepSpec, { dataRoot, maxCompute }: { dataRoot: DataRoot; maxCompute: number }): void {
  const issues = datasetPathIssues(spec.dataset, dataRoot);
  const over = computeOverBudget(spec, maxCompute);
  if (over) issues.push({ field: '(compute)', message: over });
  if (issues.length) throw new SpecError(issues);
}
