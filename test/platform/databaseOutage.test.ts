/**
 * The database killed (SIGKILL) under a running job and started again on the same port: the worker
 * process stays up, waits for the database, puts the job back without using an attempt, and
 * resumes the training from its last stored checkpoint; the sweep completes with every model
 * trained once. A worker started while the database is down waits for it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '@guidance-lab/db';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launch, startStack, startWorkerChild, tinySpec, waitFor, waitForSweep, type Stack, type WorkerChild } from './stack';

let stack: Stack;
let worker: WorkerChild | undefined;

beforeAll(async () => {
  stack = await startStack({ durable: true }); // what npm start runs: a killed server keeps its commits
});

afterAll(async () => {
  await worker?.stop();
  await stack?.stop();
});

const killDatabase = () => process.kill(Number(readFileSync(join(stack.database.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]), 'SIGKILL');
/** Starts the server again from the same data directory: same port, same URL. */
async function restartDatabase(): Promise<void> {
  const again = await startEmbeddedPostgres({ dataDir: stack.database.dataDir });
  expect(again.url).toBe(stack.databaseUrl);
}

test('a job that fails while the database is down is put back without using an attempt, and resumes from its checkpoint', { timeout: 300_000 }, async () => {
  // One attempt: before, the failure during the outage was final (and its row stayed "running", skipped for good).
  worker = startWorkerChild(stack, { GUIDANCE_MAX_ATTEMPTS: '1' });
  await worker.id();
  const spec = tinySpec({ name: 'database outage', dataset: { kind: 'toy2d', classes: 3, modesPerClass: 2, trainSize: 600, testSize: 300, seed: 21 } });
  const id = await launch(stack, { ...spec, training: { ...spec.training, steps: 2000, checkpointEvery: 50 } });
  const eps = await waitFor('the ε-net to train past a checkpoint', async () =>
    stack.prisma.model.findFirst({ where: { kind: 'eps', status: 'running', checkpointStep: { gte: 50 }, sweeps: { some: { sweepId: id } } } }),
  );

  killDatabase();
  // Down long enough for the running training to reach its next checkpoint write and fail on it.
  await new Promise((resolve) => setTimeout(resolve, 3000));
  await restartDatabase();
  await waitForSweep(stack, id, 'succeeded');

  const output = worker.output();
  expect(worker.child.exitCode).toBeNull(); // the process survived the outage
  expect(output).toContain(`train:${eps.key}: failed while the database was unreachable`);
  expect(output).toContain(`train:${eps.key}: queued again after the database came back`);
  expect(output).toMatch(new RegExp(`train:${eps.key}: resuming from checkpoint at step [1-9]`));
  const models = await stack.prisma.model.findMany({ where: { sweeps: { some: { sweepId: id } } } });
  for (const model of models) {
    expect(model.status).toBe('succeeded');
    expect(output.split('\n').filter((line) => line.includes(`train:${model.key}: trained`))).toHaveLength(1);
  }
  const runs = await stack.prisma.run.findMany({ where: { sweepId: id } });
  expect(runs.every((r) => r.status === 'succeeded')).toBe(true);
});

test('a worker started while the database is down waits for it instead of exiting', { timeout: 300_000 }, async () => {
  killDatabase();
  const late = startWorkerChild(stack);
  try {
    await waitFor('the worker to find the database down', async () => late.output().includes('waiting for the database'));
    await restartDatabase();
    const id = await late.id();
    expect(late.child.exitCode).toBeNull();
    expect(await stack.prisma.worker.findUnique({ where: { id } })).not.toBeNull();
  } finally {
    await late.stop();
  }
});
