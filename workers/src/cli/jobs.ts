/**
 * The sweep CLI's two kinds of job, as a child process runs them: train one model into
 * <out>/models (resuming a partial checkpoint), and sample and score one grid point from the
 * models there, writing its grid PNG. Files are written atomically, so an interrupted sweep
 * leaves nothing half-written.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelJob, ResultRun, RunPoint, SweepSpec } from '@guidance-lab/experiments';
import { sampleAndScore, trainModel, type RunResult as SampleResult } from '../engine/pipeline';
import type { ProgressFn } from '../engine/types';

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

export type JobRequest = TrainRequest | SampleRequest;

/** A scored grid point: its results.json row and where its scores came from. */
export interface SampleReply {
  run: ResultRun;
  evaluatorHash: string;
  referenceN: number;
  backend: string;
  evaluation: SampleResult['evaluation'];
  /** The samples its grid shows, class by class, for the sample strips (figures/). */
  shown: ShownSamples;
}

export interface ShownSamples {
  x: number[];
  perClass: number;
  /** One sample's shape: [2] for toy2d, [H, W, C] for images. */
  shape: number[];
  classNames: string[];
}

export const modelFile = (modelsDir: string, key: string) => join(modelsDir, `${key}.ckpt`);
export const modelsDirOf = (out: string) => join(out, 'models');

export function writeAtomic(path: string, bytes: Uint8Array | string): void {
  writeFileSync(`${path}.tmp`, bytes);
  renameSync(`${path}.tmp`, path);
}

export async function trainJob({ job, modelsDir }: TrainRequest, onProgress: ProgressFn): Promise<null> {
  const partial = join(modelsDir, `${job.key}.partial.ckpt`);
  const result = await trainModel(job.config, {
    resume: existsSync(partial) ? new Uint8Array(readFileSync(partial)) : null,
    onProgress,
    onCheckpoint: async (bytes) => writeAtomic(partial, bytes),
  });
  writeAtomic(modelFile(modelsDir, job.key), result.checkpoint);
  rmSync(partial, { force: true });
  return null;
}

export async function sampleJob({ point, spec, out }: SampleRequest, onProgress: ProgressFn): Promise<SampleReply> {
  const read = (key: string) => new Uint8Array(readFileSync(modelFile(modelsDirOf(out), key)));
  const result = await sampleAndScore(point, spec, {
    eps: read(point.epsModel),
    classifier: point.classifierModel ? read(point.classifierModel) : null,
    evaluator: read(point.evaluatorModel),
  }, { onProgress });
  const grid = join('grids', `${point.guidance}-p${point.pUncond}-s${point.scale}-seed${point.seed}.png`);
  writeAtomic(join(out, grid), result.grid.png);
  return {
    run: {
      guidance: point.guidance, pUncond: point.pUncond, scale: point.scale, seed: point.seed,
      sampler: point.sampler.kind, steps: point.sampler.steps, eta: point.sampler.eta,
      n: result.n, metrics: result.metrics, grid,
    },
    evaluatorHash: result.evaluatorHash,
    referenceN: Number(result.referenceSet.split(':').pop()),
    backend: result.backend,
    evaluation: result.evaluation,
    // Plain numbers: a typed array does not survive the IPC channel's JSON.
    shown: { x: Array.from(result.gridSamples.x), perClass: result.gridSamples.perClass, shape: result.gridSamples.shape, classNames: result.grid.classNames },
  };
}
