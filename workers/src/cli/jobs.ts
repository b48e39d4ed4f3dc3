/**
 * The sweep CLI's two kinds of job, as a child process runs them: train one model into
 * <out>/models (resuming a partial checkpoint), and sample and score one grid point from the
 * models there, writing its grid PNG. Files are written atomically, so an interrupted sweep
 * leaves nothing half-written.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelJob, ResultRun, RunPoint, SweepSpec } from '@guidance-lab/experiments';
import { sampleAndScore, trainModel } from '../engine/pipeline';
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
    guide: point.guideModel ? read(point.guideModel) : null,
    evaluator: read(point.evaluatorModel),
  }, { onProgress });
  // The run key tells apart two parameter settings of one method.
  const grid = join('grids', `${point.method}-p${point.pUncond}-s${point.scale}-seed${point.seed}-${point.key.slice(0, 8)}.png`);
  writeAtomic(join(out, grid), result.grid.png);
  return {
    run: {
      guidance: point.guidance, method: point.method, methodParams: point.methodParams, pUncond: point.pUncond, scale: point.scale, seed: point.seed,
      sampler: point.sampler.kind, steps: point.sampler.steps, eta: point.sampler.eta,
      n: result.n, metrics: result.metrics, grid,
    },
    evaluatorHash: result.evaluatorHash,
    referenceN: Number(result.referenceSet.split(':').pop()),
    backend: result.backend,
  };
}
