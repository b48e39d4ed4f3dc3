/**
 * Several real worker processes on one database: every job runs once in effect, and a worker
 * killed with SIGKILL mid-training loses nothing — another one resumes from the stored checkpoint.
 */
import type { ModelConfig } from '@guidance-lab/experiments';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { initBackend } from '../../workers/src/engine/backend/index';
import { trainModel } from '../../workers/src/engine/pipeline';
import { launch, startStack, startWorkerChild, tinySpec, waitFor, waitForSweep, type Stack, type WorkerChild } from './stack';

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
  test('two workers on one sweep: every model is trained once and every run scored once', async () => {
    const [a, b] = await Promise.all([startWorker(), startWorker()]);
    const id = await launch(stack, tinySpec({ name: 'two workers', dataset: toy(3), pUncond: [0.2, 0.5] }));
    await waitForSweep(stack, id, 'succeeded');

    const models = await stack.prisma.model.findMany({ where: { sweeps: { some: { sweepId: id } } } });
    const runs = await stack.prisma.run.findMany({ where: { sweepId: id }, include: { _count: { select: { metrics: true } }, grid: { select: { id: true } } } });
    expect(models).toHaveLength(3);
    expect(models.every((m) => m.status === 'succeeded' && m.attempts === 1)).toBe(true);
    expect(runs).toHaveLength(6);
    expect(runs.every((r) => r.status === 'succeeded' && r.attempts === 1 && r._count.metrics === 6 && r.grid)).toBe(true);
    expect(await queuedJobCount()).toBe(0);
    // Who did what, for the log (which worker wins a job is not deterministic).
    const ids = [await a.id(), await b.id()];
    console.log(ids.map((w) => `${w}: ${models.filter((m) => m.workerId === w).length} models, ${runs.filter((r) => r.workerId === w).length} runs`).join('; '));
    await Promise.all([a.stop(), b.stop()]);
  });

  test('a worker SIGKILLed mid-training: another worker resumes from its checkpoint and the sweep completes, nothing lost or repeated', async () => {
    const spec = tinySpec({
      name: 'killed worker',
      dataset: toy(4),
      training: { steps: 500, batchSize: 64, learningRate: 2e-3, emaDecay: 0.99, checkpointEvery: 50 },
      guidance: ['none'],
    });
    const victim = await startWorker();
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
    expect(atDeath.checkpointStep).toBeLessThan(500);

    // A new worker finds the victim's heartbeat stale, unlocks its job and resumes the training.
    const rescuer = await startWorker();
    await waitForSweep(stack, id, 'succeeded');
    expect(rescuer.output()).toContain(`reclaimed the jobs of dead worker(s) ${victimId}`);
    expect(rescuer.output()).toContain(`resuming from checkpoint at step ${atDeath.checkpointStep}`);
    expect(await stack.prisma.worker.findUnique({ where: { id: victimId } })).toBeNull();

    const model = await stack.prisma.model.findUniqueOrThrow({ where: { id: eps.id } });
    expect(model).toMatchObject({ status: 'succeeded', attempts: 2, step: 500, checkpointStep: 500, workerId: await rescuer.id() });
    const steps = (model.curve as { step: number }[]).map((p) => p.step);
    expect(steps.at(-1)).toBe(500);
    expect(steps.every((s, i) => i === 0 || s > steps[i - 1])).toBe(true);
    const runs = await stack.prisma.run.findMany({ where: { sweepId: id }, include: { _count: { select: { metrics: true } } } });
    expect(runs.map((r) => [r.status, r.attempts, r._count.metrics])).toEqual([['succeeded', 1, 6]]);
    expect(await queuedJobCount()).toBe(0);

    // Nothing lost: the interrupted-and-resumed training ends with the very weights and loss curve
    // of one uninterrupted training of the same config.
    await initBackend();
    const uninterrupted = await trainModel(model.config as unknown as ModelConfig);
    expect(model.weightsHash).toBe(uninterrupted.weightsHash);
    expect(model.curve).toEqual(uninterrupted.curve);
  });
});
