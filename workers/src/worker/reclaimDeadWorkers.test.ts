/**
 * Reclaiming a dead worker's jobs, on a real PostgreSQL with graphile-worker's real queue. The
 * end-to-end test kills a worker mid-training; this one covers the cases it cannot reach on cue:
 * a job that still has attempts goes back to the queue, one that died on its last attempt fails.
 */
import { rescoreJobKey, runJobKey, TASK_RESCORE, TASK_SAMPLE, TASK_TRAIN, trainJobKey, type PrismaClient } from '@guidance-lab/db';
import type { WorkerUtils } from 'graphile-worker';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { reclaimDeadWorkers, releaseOrphanedJobs } from './reclaimDeadWorkers';
import { readSettings } from './settings';
import { startTestQueue, type TestQueue } from './testQueue';
import type { WorkerContext } from './types';

let queue: TestQueue;
let prisma: PrismaClient;
let utils: WorkerUtils;

beforeAll(async () => {
  queue = await startTestQueue();
  ({ prisma, utils } = queue);
  await beat(LIVE, new Date());
});

afterAll(() => queue?.stop());

const DEAD = 'pool-dead';
const LIVE = 'pool-live';

/** A Worker row with the given last heartbeat (what heartbeat.ts keeps fresh). */
const beat = (id: string, lastHeartbeat: Date) =>
  prisma.worker.upsert({ where: { id }, create: { id, host: 'here', pid: 1, backend: 'cpu', lastHeartbeat }, update: { lastHeartbeat } });

/** What a worker holds when it is killed: its row with an old heartbeat, a running row, a locked job. */
async function jobHeldByDeadWorker(task: string, key: string, attempts: number, maxAttempts: number): Promise<void> {
  await prisma.worker.upsert({
    where: { id: DEAD },
    create: { id: DEAD, host: 'gone', pid: 1, backend: 'cpu', lastHeartbeat: new Date(Date.now() - 3_600_000) },
    update: {},
  });
  await utils.addJob(task, {}, { jobKey: key, maxAttempts });
  // graphile's own fetch would set these; a killed worker leaves them so.
  await prisma.$executeRaw`UPDATE graphile_worker._private_jobs SET locked_by = ${DEAD}, locked_at = now(), attempts = ${attempts} WHERE key = ${key}`;
}

async function fixture() {
  const sweep = await prisma.sweep.create({ data: { name: 'reclaim', spec: {}, status: 'running' } });
  const model = (kind: 'eps' | 'evaluator', status: 'running' | 'succeeded') =>
    prisma.model.create({ data: { key: `${kind}-${sweep.id}`, kind, config: {}, status, workerId: status === 'running' ? DEAD : null, sweeps: { create: { sweepId: sweep.id } } } });
  const eps = await model('eps', 'running');
  const evaluator = await model('evaluator', 'succeeded');
  const run = (status: 'queued' | 'running', seed: number) =>
    prisma.run.create({
      data: { sweepId: sweep.id, key: `run-${seed}`, guidance: 'none', method: 'none', pUncond: 0.1, scale: 0, seed, sampler: 'ddim', steps: 10, eta: 0, samplesPerClass: 1, epsModelId: eps.id, evaluatorModelId: evaluator.id, status, workerId: status === 'running' ? DEAD : null },
    });
  return { sweep, eps, waiting: await run('queued', 1) };
}

const context = (): WorkerContext => ({ prisma, workerId: LIVE, settings: readSettings(), setJobActive: () => undefined, log: () => undefined });

async function job(key: string) {
  const [row] = await prisma.$queryRaw<{ locked_by: string | null; attempts: number }[]>`SELECT locked_by, attempts FROM graphile_worker.jobs WHERE key = ${key}`;
  return row ?? null;
}

test('a dead worker whose job has attempts left: the row is queued again and the job unlocked for another worker', async () => {
  const { eps } = await fixture();
  await jobHeldByDeadWorker(TASK_TRAIN, trainJobKey(eps.id), 1, 3);

  expect(await reclaimDeadWorkers(context(), utils)).toEqual([DEAD]);
  expect(await prisma.model.findUniqueOrThrow({ where: { id: eps.id } })).toMatchObject({ status: 'queued', workerId: null });
  expect(await job(trainJobKey(eps.id))).toEqual({ locked_by: null, attempts: 1 });
  expect(await prisma.worker.findUnique({ where: { id: DEAD } })).toBeNull();
  // Nothing stale is left: a second pass finds no one.
  expect(await reclaimDeadWorkers(context(), utils)).toEqual([]);
});

test('a dead worker whose job was on its last attempt: the model fails for good, its waiting runs and the sweep with it', async () => {
  const { sweep, eps, waiting } = await fixture();
  await jobHeldByDeadWorker(TASK_TRAIN, trainJobKey(eps.id), 3, 3);

  await reclaimDeadWorkers(context(), utils);
  const model = await prisma.model.findUniqueOrThrow({ where: { id: eps.id } });
  expect(model).toMatchObject({ status: 'failed', workerId: null });
  expect(model.error).toContain(`the worker ${DEAD} died during the last attempt`);
  expect(await prisma.run.findUniqueOrThrow({ where: { id: waiting.id } })).toMatchObject({ status: 'failed' });
  expect(await prisma.sweep.findUniqueOrThrow({ where: { id: sweep.id } })).toMatchObject({ status: 'failed' });
  // The exhausted job is gone, so retry-failed can queue a fresh one under the same key.
  expect(await job(trainJobKey(eps.id))).toBeNull();
});

test('a dead worker on a run with attempts left: the run goes back to waiting', async () => {
  const { sweep, eps } = await fixture();
  await prisma.model.update({ where: { id: eps.id }, data: { status: 'succeeded', workerId: null } });
  const running = await prisma.run.create({
    data: { sweepId: sweep.id, key: 'run-9', guidance: 'none', method: 'none', pUncond: 0.1, scale: 0, seed: 9, sampler: 'ddim', steps: 10, eta: 0, samplesPerClass: 1, epsModelId: eps.id, evaluatorModelId: eps.id, status: 'running', workerId: DEAD, phase: 'sampling', progress: 0.5 },
  });
  await jobHeldByDeadWorker(TASK_SAMPLE, runJobKey(running.id), 1, 3);

  await reclaimDeadWorkers(context(), utils);
  expect(await prisma.run.findUniqueOrThrow({ where: { id: running.id } })).toMatchObject({ status: 'queued', workerId: null, phase: 'waiting', progress: 0 });
  expect(await job(runJobKey(running.id))).toEqual({ locked_by: null, attempts: 1 });
});

test('after the database was away, a heartbeat as old as our own is not taken for a dead worker', async () => {
  const { eps } = await fixture();
  await jobHeldByDeadWorker(TASK_TRAIN, trainJobKey(eps.id), 1, 3);
  // Both rows are an hour old, as after an outage before anyone could beat again.
  const outage = new Date(Date.now() - 3_600_000);
  await beat(LIVE, outage);
  try {
    expect(await reclaimDeadWorkers(context(), utils)).toEqual([]);
    expect(await prisma.model.findUniqueOrThrow({ where: { id: eps.id } })).toMatchObject({ status: 'running', workerId: DEAD });
  } finally {
    await beat(LIVE, new Date());
  }
  expect(await reclaimDeadWorkers(context(), utils)).toEqual([DEAD]);
});

test('a queued row whose job was lost (completed by a worker that found it running) gets a job again', async () => {
  const { eps } = await fixture();
  await jobHeldByDeadWorker(TASK_TRAIN, trainJobKey(eps.id), 1, 3);
  await prisma.$executeRaw`DELETE FROM graphile_worker._private_jobs WHERE key = ${trainJobKey(eps.id)}`;

  expect(await reclaimDeadWorkers(context(), utils)).toEqual([DEAD]);
  expect(await prisma.model.findUniqueOrThrow({ where: { id: eps.id } })).toMatchObject({ status: 'queued', workerId: null });
  expect(await job(trainJobKey(eps.id))).toEqual({ locked_by: null, attempts: 0 });
});

test('a dead worker re-scoring a run: with attempts left it waits again, on its last attempt it fails for good', async () => {
  const { sweep, eps } = await fixture();
  const done = await prisma.run.create({
    data: { sweepId: sweep.id, key: 'run-r', guidance: 'none', method: 'none', pUncond: 0.1, scale: 0, seed: 3, sampler: 'ddim', steps: 10, eta: 0, samplesPerClass: 1, epsModelId: eps.id, evaluatorModelId: eps.id, status: 'succeeded' },
  });
  const rescore = (evaluatorModelId: string) => prisma.rescore.create({ data: { runId: done.id, evaluatorModelId, status: 'running', workerId: DEAD } });
  const [again, lost] = [await rescore(eps.id), await rescore((await prisma.model.findFirstOrThrow({ where: { key: `evaluator-${sweep.id}` } })).id)];
  await jobHeldByDeadWorker(TASK_RESCORE, rescoreJobKey(again.id), 1, 3);
  await jobHeldByDeadWorker(TASK_RESCORE, rescoreJobKey(lost.id), 3, 3);

  await reclaimDeadWorkers(context(), utils);
  expect(await prisma.rescore.findUniqueOrThrow({ where: { id: again.id } })).toMatchObject({ status: 'queued', workerId: null });
  expect(await job(rescoreJobKey(again.id))).toEqual({ locked_by: null, attempts: 1 });
  const failed = await prisma.rescore.findUniqueOrThrow({ where: { id: lost.id } });
  expect(failed).toMatchObject({ status: 'failed', workerId: null });
  expect(failed.error).toContain('died during the last attempt');
});

test('a job locked by a pool that never registered (a worker that died while starting) is unlocked once the lock is stale; a fresh one is left to its starting worker', async () => {
  await beat(LIVE, new Date());
  const { eps } = await fixture();
  const [gone, starting] = ['pool-died-starting', 'pool-still-starting'];
  await utils.addJob(TASK_TRAIN, {}, { jobKey: trainJobKey(eps.id), maxAttempts: 3 });
  await utils.addJob(TASK_SAMPLE, {}, { jobKey: 'run:fresh', maxAttempts: 3 });
  await prisma.$executeRaw`UPDATE graphile_worker._private_jobs SET locked_by = ${gone}, locked_at = now() - interval '1 hour', attempts = 1 WHERE key = ${trainJobKey(eps.id)}`;
  await prisma.$executeRaw`UPDATE graphile_worker._private_jobs SET locked_by = ${starting}, locked_at = now(), attempts = 1 WHERE key = 'run:fresh'`;

  expect(await reclaimDeadWorkers(context(), utils)).toEqual([gone]);
  expect(await job(trainJobKey(eps.id))).toEqual({ locked_by: null, attempts: 1 });
  expect(await job('run:fresh')).toEqual({ locked_by: starting, attempts: 1 });
  await utils.completeJobs([(await prisma.$queryRaw<{ id: string }[]>`SELECT id::text AS id FROM graphile_worker.jobs WHERE key = 'run:fresh'`)[0].id]);
});

test('our own lock of a job no longer running here (its end was lost with the database) is released once stale; a running job and a fresh lock are kept', async () => {
  await beat(LIVE, new Date());
  const { sweep, eps } = await fixture();
  await prisma.model.update({ where: { id: eps.id }, data: { workerId: LIVE } }); // claimed by us, still "running"
  const lastAttempt = await prisma.run.create({
    data: { sweepId: sweep.id, key: 'run-o', guidance: 'none', method: 'none', pUncond: 0.1, scale: 0, seed: 7, sampler: 'ddim', steps: 10, eta: 0, samplesPerClass: 1, epsModelId: eps.id, evaluatorModelId: eps.id, status: 'running', workerId: LIVE },
  });
  const lock = async (task: string, key: string, age: string, attempts: number) => {
    await utils.addJob(task, {}, { jobKey: key, maxAttempts: 3 });
    await prisma.$executeRaw`UPDATE graphile_worker._private_jobs SET locked_by = ${LIVE}, locked_at = now() - ${age}::interval, attempts = ${attempts} WHERE key = ${key}`;
    return (await prisma.$queryRaw<{ id: string }[]>`SELECT id::text AS id FROM graphile_worker.jobs WHERE key = ${key}`)[0].id;
  };
  const orphan = trainJobKey(eps.id);
  await lock(TASK_TRAIN, orphan, '1 hour', 1);
  await lock(TASK_SAMPLE, runJobKey(lastAttempt.id), '1 hour', 3);
  const runningHere = await lock(TASK_SAMPLE, 'run:running-here', '1 hour', 1);
  await lock(TASK_SAMPLE, 'run:just-locked', '0 seconds', 1);

  expect((await releaseOrphanedJobs(context(), utils, [runningHere])).sort()).toEqual([orphan, runJobKey(lastAttempt.id)].sort());
  // Attempts left: the row is queued again and the job free for any worker.
  expect(await prisma.model.findUniqueOrThrow({ where: { id: eps.id } })).toMatchObject({ status: 'queued', workerId: null });
  expect(await job(orphan)).toEqual({ locked_by: null, attempts: 1 });
  // The last attempt: the run fails for good and its job is gone.
  expect(await prisma.run.findUniqueOrThrow({ where: { id: lastAttempt.id } })).toMatchObject({ status: 'failed', workerId: null });
  expect(await job(runJobKey(lastAttempt.id))).toBeNull();
  // Kept: the job running here (its lock is renewed by the heartbeat) and a lock younger than the threshold.
  expect(await job('run:running-here')).toEqual({ locked_by: LIVE, attempts: 1 });
  expect(await job('run:just-locked')).toEqual({ locked_by: LIVE, attempts: 1 });
  expect(await releaseOrphanedJobs(context(), utils, [runningHere])).toEqual([]);
  await prisma.$executeRaw`DELETE FROM graphile_worker._private_jobs WHERE key IN ('run:running-here', 'run:just-locked')`;
});
