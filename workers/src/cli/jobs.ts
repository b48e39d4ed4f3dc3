/**
 * The sweep CLI's kinds of job, as a child process runs them: train one model into <out>/models
 * (resuming a partial checkpoint); sample and score one grid point from the models there, writing
 * its grid PNG and its samples.npz; and score a grid point's samples.npz again (--rescore). Files
 * are written atomically, so an interrupted sweep leaves nothing half-written.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { samplesFromNpz, samplesToNpz, type ModelJob, type ResultRun, type RunPoint, type SweepSpec } from '@guidance-lab/experiments';
import { rescoreSamples, sampleAndScore, trainModel } from '../engine/pipeline';
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

export interface RescoreRequest {
  kind: 'rescore';
  run: ResultRun;
  spec: SweepSpec;
  out: string;
  evaluatorKey: string;
}

export type JobRequest = TrainRequest | SampleRequest | RescoreRequest;

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
    evaluator: read(point.evaluatorModel),
  }, { onProgress });
  const name = `${point.guidance}-p${point.pUncond}-s${point.scale}-seed${point.seed}`;
  const grid = join('grids', `${name}.png`);
  const samples = join('samples', `${name}.npz`);
  writeAtomic(join(out, grid), result.grid.png);
  writeAtomic(join(out, samples), samplesToNpz(result.samples));
  return {
    run: {
      guidance: point.guidance, pUncond: point.pUncond, scale: point.scale, seed: point.seed,
      sampler: point.sampler.kind, steps: point.sampler.steps, eta: point.sampler.eta,
      n: result.n, metrics: result.metrics, grid, samples,
    },
    evaluatorHash: result.evaluatorHash,
    referenceN: Number(result.referenceSet.split(':').pop()),
    backend: result.backend,
  };
}

/** A grid point's results row with its metrics recomputed from its samples.npz, with the evaluator in <out>/models. */
export async function rescoreJob({ run, spec, out, evaluatorKey }: RescoreRequest, onProgress: ProgressFn): Promise<SampleReply> {
  if (!run.samples) throw new Error(`the run ${run.guidance} p_uncond=${run.pUncond} s=${run.scale} seed=${run.seed} has no samples.npz in results.json (sampled before samples were kept)`);
  const samples = samplesFromNpz(new Uint8Array(readFileSync(join(out, run.samples))));
  const result = await rescoreSamples(samples, spec.dataset, new Uint8Array(readFileSync(modelFile(modelsDirOf(out), evaluatorKey))), { onProgress });
  return { run: { ...run, n: result.n, metrics: result.metrics }, evaluatorHash: result.evaluatorHash, referenceN: Number(result.referenceSet.split(':').pop()), backend: result.backend };
}
