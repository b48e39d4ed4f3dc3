/**
 * The sweep CLI's kinds of job, as a child process runs them: train one model into <out>/models
 * (resuming a partial checkpoint); sample one grid point from the models there, writing its grid PNG
 * and its samples.npz; and score a grid point's samples.npz (after sampling, or again: --rescore).
 * Sampling does not wait for the evaluator. Files are written atomically, so an interrupted sweep
 * leaves nothing half-written.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { dataRootFromEnv, samplesFromNpz, samplesToNpz, type ModelJob, type ResultRun, type RunPoint, type SweepSpec } from '@guidance-lab/experiments';
import { rescoreSamples, samplePoint, trainModel, type Scores } from '../engine/pipeline';
import type { ProgressFn } from '../engine/types';
import { modelFile, modelsDirOf, writeAtomic } from './files';

export interface TrainRequest {
  kind: 'train';
  job: ModelJob;
  modelsDir: string;
}

export interface SampleRequest {
  kind: 'sample';
  point: RunPoint;
  spec: SweepSpec;
  out: string;
}

/** A grid point's results row before scoring. */
export type UnscoredRun = Omit<ResultRun, 'n' | 'metrics'>;

export interface RescoreRequest {
  kind: 'rescore';
  run: UnscoredRun;
  spec: SweepSpec;
  out: string;
  evaluatorKey: string;
}

export type JobRequest = TrainRequest | SampleRequest | RescoreRequest;

/** A sampled grid point: its results row without scores, and the samples its grid shows. */
export interface SampledReply {
  run: UnscoredRun;
  shown: ShownSamples;
}

/** A scored grid point: its results.json row and where its scores came from. */
export interface SampleReply {
  run: ResultRun;
  evaluatorHash: string;
  referenceN: number;
  backend: string;
  evaluation: Scores['evaluation'];
  /** The samples its grid shows, class by class, for the sample strips (figures/); a re-scoring draws none. */
  shown?: ShownSamples;
}

export interface ShownSamples {
  x: number[];
  perClass: number;
  /** One sample's shape: [2] for toy2d, [H, W, C] for images. */
  shape: number[];
  classNames: string[];
}

export async function trainJob({ job, modelsDir }: TrainRequest, onProgress: ProgressFn): Promise<null> {
  const partial = join(modelsDir, `${job.key}.partial.ckpt`);
  const result = await trainModel(job.config, {
    resume: existsSync(partial) ? new Uint8Array(readFileSync(partial)) : null,
    onProgress,
    dataRoot: dataRootFromEnv(),
    onCheckpoint: async (bytes) => writeAtomic(partial, bytes),
  });
  writeAtomic(modelFile(modelsDir, job.key), result.checkpoint);
  rmSync(partial, { force: true });
  return null;
}

export async function sampleJob({ point, spec, out }: SampleRequest, onProgress: ProgressFn): Promise<SampledReply> {
  const read = (key: string) => new Uint8Array(readFileSync(modelFile(modelsDirOf(out), key)));
  const result = await samplePoint(point, spec, {
    eps: read(point.epsModel),
    classifier: point.classifierModel ? read(point.classifierModel) : null,
    guide: point.guideModel ? read(point.guideModel) : null,
  }, { onProgress, dataRoot: dataRootFromEnv() });
  // The run key tells apart two parameter settings of one method.
  const name = `${point.method}-p${point.pUncond}-s${point.scale}-seed${point.seed}-${point.key.slice(0, 8)}`;
  const grid = join('grids', `${name}.png`);
  const samples = join('samples', `${name}.npz`);
  writeAtomic(join(out, grid), result.grid.png);
  writeAtomic(join(out, samples), samplesToNpz(result.samples));
  return {
    run: {
      guidance: point.guidance, method: point.method, methodParams: point.methodParams, pUncond: point.pUncond, scale: point.scale, seed: point.seed,
      sampler: point.sampler.kind, steps: point.sampler.steps, eta: point.sampler.eta,
      grid, samples,
    },
    // Plain numbers: a typed array does not survive the IPC channel's JSON.
    shown: { x: Array.from(result.gridSamples.x), perClass: result.gridSamples.perClass, shape: result.gridSamples.shape, classNames: result.grid.classNames },
  };
}

/** A grid point's results row with its metrics computed from its samples.npz, with the evaluator in <out>/models. */
export async function rescoreJob({ run, spec, out, evaluatorKey }: RescoreRequest, onProgress: ProgressFn): Promise<SampleReply> {
  if (!run.samples) throw new Error(`the run ${run.guidance} p_uncond=${run.pUncond} s=${run.scale} seed=${run.seed} has no samples.npz in results.json (sampled before samples were kept)`);
  const samples = samplesFromNpz(new Uint8Array(readFileSync(join(out, run.samples))));
  const result = await rescoreSamples(samples, spec.dataset, new Uint8Array(readFileSync(modelFile(modelsDirOf(out), evaluatorKey))), { onProgress, dataRoot: dataRootFromEnv() });
  return {
    run: { ...run, n: result.n, metrics: result.metrics },
    evaluatorHash: result.evaluatorHash,
    referenceN: Number(result.referenceSet.split(':').pop()),
    backend: result.backend,
    evaluation: result.evaluation,
  };
}
