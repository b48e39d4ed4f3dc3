/**
 * graphile-worker 0.17 unlocks jobs locked for over 4 hours (its resetLockedAt, which every worker
 * runs every 8–10 minutes) and hands them out again (graphile-worker issue #169). Shortened here:
 * a lock is aged by 5 hours and graphile's own reset is run at once. A long training must be
 * neither run twice nor lost.
 */
import { EventEmitter } from 'node:events';
import { run, type WorkerEvents } from 'graphile-worker';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launch, startStack, startWorkerChild, tinySpec, waitFor, waitForEmptyQueue, waitForSweep, type Stack, type WorkerChild } from './stack';

let stack: Stack;
const workers: WorkerChild[] = [];
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  for (const w of workers) w.child.kill('SIGCONT');
  await Promise.all(workers.map((w) => w.stop()));
  await stack?.stop();
});

/** graphile-worker's own stale-lock reset, run once now (a runner with no work of ours to take). */
async function graphileResetsStaleLocks(): Promise<void> {
  const events: WorkerEvents = new EventEmitter();
  const reset = new Promise((done) => events.once('resetLocked:success', done));
  const runner = await run({
    connectionString: stack.databaseUrl,
    taskList: { unrelated_task: async () => undefined },
    minResetLockedInterval: 1,
    maxResetLockedInterval: 2,
    noHandleSignals: true,
    events,
  });
  await reset;
  await runner.stop();
}

const lockOf = async (key: string) =>
  (await stack.prisma.$queryRaw<{ locked_by: string | null; age_s: number | null }[]>`
    SELECT locked_by, extract(epoch FROM now() - locked_at)::float AS age_s FROM graphile_worker.jobs WHERE key = ${key}`)[0] ?? null;

const ageLock = (key: string) => stack.prisma.$executeRaw`UPDATE graphile_worker._private_jobs SET locked_at = now() - interval '5 hours' WHERE key = ${key}`;

test('a training locked for "over 4 hours" keeps its lock while its worker lives, and runs once even when graphile hands it out again', async () => {
  const a = startWorkerChild(stack);
  workers.push(a);
  const aId = await a.id();
  const id = await launch(stack, tinySpec({ name: 'long job', dataset: { kind: 'toy2d', classes: 3, modesPerClass: 2, trainSize: 600, testSize: 300, seed: 21 }, training: { steps: 15000, batchSize: 64, learningRate: 2e-3, emaDecay: 0.99, checkpointEvery: 100 }, guidance: ['none'], scales: [1] }));
  const eps = await waitFor('a checkpoint of the ε-net', async () => {
    const m = await stack.prisma.model.findFirst({ where: { kind: 'eps', sweeps: { some: { sweepId: id } } } });
    return m && m.checkpointStep > 0 && m;
  });
  const key = `train:${eps.id}`;

  // 1. The worker is alive: its heartbeat renews the aged lock before graphile's reset can see it.
  await ageLock(key);
  await waitFor('the lock to be renewed', async () => {
    const lock = await lockOf(key);
    return lock && lock.locked_by === aId && lock.age_s !== null && lock.age_s < 60;
  });
  await graphileResetsStaleLocks();
  expect((await lockOf(key))?.locked_by).toBe(aId);

  // 2. The worker is frozen (no heartbeat can run): graphile unlocks the job and another worker may take it.
  // Frozen first, so the training is still under way whatever the machine's speed.
  a.child.kill('SIGSTOP');
  const b = startWorkerChild(stack);
  workers.push(b);
  await b.id();
  await ageLock(key);
  await graphileResetsStaleLocks();
  expect((await lockOf(key))?.locked_by ?? null).not.toBe(aId);
  await waitFor('the second worker to have seen the job', async () => b.output().includes(`train:${eps.key}`) || (await lockOf(key))?.locked_by === (await b.id()));
  a.child.kill('SIGCONT');

  await waitForSweep(stack, id, 'succeeded');
  const trained = (a.output() + b.output()).split('\n').filter((line) => line.includes(`train:${eps.key}: trained`));
  expect(trained).toHaveLength(1);
  const model = await stack.prisma.model.findUniqueOrThrow({ where: { id: eps.id } });
  expect(model).toMatchObject({ status: 'succeeded', step: 15000, checkpointStep: 15000 });
  const runs = await stack.prisma.run.findMany({ where: { sweepId: id }, include: { _count: { select: { metrics: true } } } });
  expect(runs.map((r) => [r.status, r._count.metrics])).toEqual([['succeeded', 8]]);
  await waitForEmptyQueue(stack);
}, 600_000); // a training long enough to be frozen mid-way, on a busy machine too
