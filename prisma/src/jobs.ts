/**
 * The job-queue side of the schema: graphile-worker tasks and which work is ready. Job keys make
 * enqueueing idempotent, so the API, retries and workers may all call scheduleReadyWork freely.
 */
import type { JobStatus, PrismaClient } from '../generated/client';

export const TASK_TRAIN = 'train_model'; // payload TrainPayload
export const TASK_SAMPLE = 'sample_and_score'; // payload SamplePayload
export const TASK_RESCORE = 'rescore_run'; // payload RescorePayload
export interface TrainPayload {
  modelId: string;
}
export interface SamplePayload {
  runId: string;
}
export interface RescorePayload {
  rescoreId: string;
}

/** graphile-worker attempts per job; a retried training resumes from its checkpoint. */
export const JOB_MAX_ATTEMPTS = 3;

export const trainJobKey = (modelId: string) => `train:${modelId}`;
export const runJobKey = (runId: string) => `run:${runId}`;
export const rescoreJobKey = (rescoreId: string) => `rescore:${rescoreId}`;

/** The part of graphile-worker's TaskSpec we use. */
export interface JobSpec {
  jobKey?: string;
  jobKeyMode?: 'replace' | 'preserve_run_at' | 'unsafe_dedupe';
  maxAttempts?: number;
  priority?: number;
}
/** graphile-worker's `addJob` (from makeWorkerUtils, or helpers.addJob inside a task). */
export type AddJobFn = (identifier: string, payload: unknown, spec?: JobSpec) => Promise<unknown>;

export const ACTIVE: JobStatus[] = ['queued', 'running'];

/**
 * Enqueues a train job for every queued model an active sweep needs, and a sample job for every
 * queued run whose models have all succeeded. `unsafe_dedupe`: a job that already exists under
 * the key (waiting, running, or failed for good) is left alone, so nothing runs twice.
 * Failed or cancelled models are not retrained here: retryFailed and launch requeue them first.
 * Re-scorings (rescoreSweep) count whatever their sweep's status: a finished sweep is re-scored too.
 */
export async function scheduleReadyWork(prisma: PrismaClient, addJob: AddJobFn, sweepId?: string): Promise<void> {
  const sweep = { status: { in: ACTIVE }, ...(sweepId ? { id: sweepId } : {}) };
  const rescoring = { status: 'queued' as const, ...(sweepId ? { run: { sweepId } } : {}) };
  const models = await prisma.model.findMany({
    where: { status: 'queued', OR: [{ sweeps: { some: { sweep } } }, { rescores: { some: rescoring } }] },
    select: { id: true, kind: true },
    orderBy: { createdAt: 'asc' },
  });
  for (const m of models) {
    // Evaluators first: every run of the dataset needs one, and they train fastest.
    await addJob(TASK_TRAIN, { modelId: m.id } satisfies TrainPayload, {
      jobKey: trainJobKey(m.id),
      jobKeyMode: 'unsafe_dedupe',
      maxAttempts: JOB_MAX_ATTEMPTS,
      priority: m.kind === 'evaluator' ? -1 : 0,
    });
  }
  const done = { status: 'succeeded' as const };
  const runs = await prisma.run.findMany({
    where: {
      status: 'queued',
      sweep,
      epsModel: done,
      evaluatorModel: done,
      OR: [{ classifierModelId: null }, { classifierModel: done }],
    },
    select: { id: true },
    orderBy: { createdAt: 'asc' },
  });
  for (const r of runs) {
    await addJob(TASK_SAMPLE, { runId: r.id } satisfies SamplePayload, {
      jobKey: runJobKey(r.id),
      jobKeyMode: 'unsafe_dedupe',
      maxAttempts: JOB_MAX_ATTEMPTS,
    });
  }
  const rescores = await prisma.rescore.findMany({ where: { ...rescoring, evaluatorModel: done }, select: { id: true }, orderBy: { createdAt: 'asc' } });
  for (const r of rescores) {
    await addJob(TASK_RESCORE, { rescoreId: r.id } satisfies RescorePayload, {
      jobKey: rescoreJobKey(r.id),
      jobKeyMode: 'unsafe_dedupe',
      maxAttempts: JOB_MAX_ATTEMPTS,
    });
  }
}

/**
 * Removes jobs by key (graphile_worker.remove_job): a waiting or dead job is deleted; a running
 * one loses its key and will not be retried (the worker notices cancellation via the DB status).
 * Needs graphile-worker's schema, which makeWorkerUtils(...).migrate() or a running worker installs.
 */
export async function removeJobs(prisma: PrismaClient, keys: string[]): Promise<void> {
  if (!keys.length) return;
  await prisma.$executeRaw`SELECT graphile_worker.remove_job(k) FROM unnest(${keys}::text[]) AS k`;
}

/**
 * Derives a sweep's status from its runs (cancelled sweeps stay cancelled): succeeded when every
 * run has, failed when none is left to do and one failed, running once any run started or ended.
 */
export async function refreshSweepStatus(prisma: PrismaClient, sweepId: string): Promise<JobStatus | null> {
  const sweep = await prisma.sweep.findUnique({ where: { id: sweepId }, select: { status: true, startedAt: true } });
  if (!sweep || sweep.status === 'cancelled') return sweep?.status ?? null;
  const counts = await prisma.run.groupBy({ by: ['status'], where: { sweepId }, _count: { _all: true } });
  const n = (s: JobStatus) => counts.find((c) => c.status === s)?._count._all ?? 0;
  const total = counts.reduce((sum, c) => sum + c._count._all, 0);
  const open = n('queued') + n('running');
  const status: JobStatus =
    total > 0 && n('succeeded') === total ? 'succeeded'
    : open === 0 && n('failed') > 0 ? 'failed'
    : open < total || n('running') > 0 ? 'running'
    : 'queued';
  const finished = status === 'succeeded' || status === 'failed';
  await prisma.sweep.update({
    where: { id: sweepId },
    data: {
      status,
      startedAt: sweep.startedAt ?? (status === 'queued' ? null : new Date()),
      finishedAt: finished ? new Date() : null,
      error: status === 'failed' ? `${n('failed')} of ${total} runs failed` : null,
    },
  });
  return status;
}
