/**
 * Several real worker processes on one database: every job runs once in effect, and a worker
 * killed with SIGKILL mid-training loses nothing — another one resumes from the stored checkpoint.
 */
import type { ModelConfig } from '@guidance-lab/experiments';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { initBackend } from '../../workers/src/engine/backend/index';
import { trainModel } from '../../workers/src/engine/pipeline';
import { launch, startStack, startWorkerChild, tinySpec, waitFor, waitForEmptyQueue, waitForSweep, type Stack, type WorkerChild } from './stack';

const toy = (seed: number) => ({ kind: 'toy2d' as const, classes: 3, modesPerClass: 2, trainSize: 600, testSize: 300, seed });

let stack: Stack;
const workers: WorkerChild[] = [];
const startWorker = async () => {
  const worker = startWorkerChild(stack);
  workers.push(worker);
  await worker.id();
  return worker;
};

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await stack?.stop();
});

async function queuedJobCount(): Promise<number> {
  const [row] = await stack.prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM graphile_worker.jobs`;
  return Number(row.n);
}

describe('worker processes', () => {
  let survivor: WorkerChild;

  test('two workers on one sweep: every model is trained once and every run scored once', async () => {
    const [a, b] = await Promise.all([startWorker(), startWorker()]);
    survivor = a;
    const id = await launch(stack, tinySpec({ name: 'two workers', dataset: toy(3), pUncond: [0.2, 0.5] }));
    await waitForSweep(stack, id, 'succeeded');

    const models = await stack.prisma.model.findMany({ where: { sweeps: { some: { sweepId: id } } } });
    const runs = await stack.prisma.run.findMany({ where: { sweepId: id }, include: { _count: { select: { metrics: true } }, grid: { select: { id: true } } } });
    expect(models).toHaveLength(3);
    expect(models.every((m) => m.status === 'succeeded' && m.attempts === 1)).toBe(true);
    expect(runs).toHaveLength(6);
    expect(runs.every((r) => r.status === 'succeeded' && r.attempts === 1 && r._count.metrics === 8 && r.grid)).toBe(true);
    await waitForEmptyQueue(stack);
    // Who did what, for the log (which worker wins a job is not deterministic).
    const ids = [await a.id(), await b.id()];
    console.log(ids.map((w) => `${w}: ${models.filter((m) => m.workerId === w).length} models, ${runs.filter((r) => r.workerId === w).length} runs`).join('; '));
    await b.stop();
  });

  test('a worker SIGKILLed mid-training: another worker resumes from its checkpoint and the sweep completes, nothing lost or repeated', async () => {
    const spec = tinySpec({
      name: 'killed worker',
      dataset: toy(4),
      training: { steps: 300, batchSize: 64, learningRate: 2e-3, emaDecay: 0.99, checkpointEvery: 30 },
      guidance: ['none'],
    });
    // The survivor of the previous test is now the only worker: it takes the training.
    const victim = survivor;
    const victimId = await victim.id();
    const id = await launch(stack, spec);

    const eps = await waitFor('a stored checkpoint of the ε-net', async () => {
      const model = await stack.prisma.model.findFirst({ where: { kind: 'eps', sweeps: { some: { sweepId: id } } }, select: { id: true, checkpointStep: true } });
      return model && model.checkpointStep > 0 && model;
    });
    victim.child.kill('SIGKILL');
    await victim.exited;
    const atDeath = await stack.prisma.model.findUniqueOrThrow({ where: { id: eps.id } });
    expect(atDeath.status).toBe('running');
    expect(atDeath.workerId).toBe(victimId);
    expect(atDeath.checkpointStep).toBeGreaterThan(0);
    expect(atDeath.checkpointStep).toBeLessThan(300);

    // A new worker finds the victim's heartbeat stale, unlocks its job and resumes the training.
    const rescuer = await startWorker();
    await waitForSweep(stack, id, 'succeeded');
    expect(rescuer.output()).toContain(`reclaimed the jobs of dead worker(s) ${victimId}`);
    expect(rescuer.output()).toContain(`resuming from checkpoint at step ${atDeath.checkpointStep}`);
    expect(await stack.prisma.worker.findUnique({ where: { id: victimId } })).toBeNull();

    const model = await stack.prisma.model.findUniqueOrThrow({ where: { id: eps.id } });
    expect(model).toMatchObject({ status: 'succeeded', attempts: 2, step: 300, checkpointStep: 300, workerId: await rescuer.id() });
    const steps = (model.curve as { step: number }[]).map((p) => p.step);
    expect(steps.at(-1)).toBe(300);
    expect(steps.every((s, i) => i === 0 || s > steps[i - 1])).toBe(true);
    const runs = await stack.prisma.run.findMany({ where: { sweepId: id }, include: { _count: { select: { metrics: true } } } });
    expect(runs.map((r) => [r.status, r.attempts, r._count.metrics])).toEqual([['succeeded', 1, 8]]);
    await waitForEmptyQueue(stack);

    // Nothing lost: the interrupted-and-resumed training ends with the very weights and loss curve
    // of one uninterrupted training of the same config.
    await initBackend();
    const uninterrupted = await trainModel(model.config as unknown as ModelConfig);
    expect(model.weightsHash).toBe(uninterrupted.weightsHash);
    expect(model.curve).toEqual(uninterrupted.curve);
    survivor = rescuer;
  });

  test('a worker stopped with SIGTERM mid-training puts its job back without using up an attempt; the next worker resumes it', async () => {
    // Seed 1 on the previous dataset: a new ε-net (too long to finish during the test), the evaluator is reused.
    const spec = tinySpec({
      name: 'stopped worker',
      dataset: toy(4),
      seeds: [1],
      training: { steps: 100_000, batchSize: 64, learningRate: 2e-3, emaDecay: 0.99, checkpointEvery: 30 },
      guidance: ['none'],
    });
    const id = await launch(stack, spec);
    const eps = await waitFor('a stored checkpoint of the ε-net', async () => {
      const model = await stack.prisma.model.findFirst({ where: { kind: 'eps', sweeps: { some: { sweepId: id } } }, select: { id: true, checkpointStep: true } });
      return model && model.checkpointStep > 0 && model;
    });
    await survivor.stop();
    expect(survivor.output()).toContain('interrupted by shutdown, queued again');
    // Only the fresh job under the model's key is left: the interrupted one is gone, not stuck locked.
    expect(await queuedJobCount()).toBe(1);
    const atStop = await stack.prisma.model.findUniqueOrThrow({ where: { id: eps.id } });
    expect(atStop).toMatchObject({ status: 'queued', workerId: null, attempts: 1 });
    const [job] = await stack.prisma.$queryRaw<{ attempts: number; locked_by: string | null }[]>`
      SELECT attempts, locked_by FROM graphile_worker.jobs WHERE key = ${`train:${eps.id}`}`;
    expect(job).toEqual({ attempts: 0, locked_by: null });

    const next = await startWorker();
    await waitFor('the next worker to resume the training', async () => next.output().includes(`resuming from checkpoint at step ${atStop.checkpointStep}`));
    expect(await stack.prisma.model.findUniqueOrThrow({ where: { id: eps.id } })).toMatchObject({ status: 'running', workerId: await next.id(), attempts: 2 });
    await stack.gql('mutation($id: ID!) { cancelSweep(id: $id) { id } }', { id });
    await waitFor('the cancelled training to stop', async () => (await stack.prisma.model.findUniqueOrThrow({ where: { id: eps.id } })).workerId === null);
    await waitForEmptyQueue(stack);
  });
});
