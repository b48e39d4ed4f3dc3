/**
 * extendSweep and resumeSweep over real HTTP against a real PostgreSQL (no worker: a trained model
 * or a finished run is written directly, as a worker would).
 */
import type { PrismaClient } from '@guidance-lab/db';
import type { WorkerUtils } from 'graphile-worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiStack, type ApiStack } from './testing';

let prisma: PrismaClient;
let utils: WorkerUtils;
let stack: ApiStack;

beforeAll(async () => {
  stack = await startApiStack({ GUIDANCE_MAX_RUNS: '12' });
  ({ prisma, utils } = stack);
});
afterAll(() => stack?.stop());

const gql: ApiStack['gql'] = (...args) => stack.gql(...args);

const EXTEND = `mutation($id: ID!, $scales: [Float!], $seeds: [Int!], $methods: JSON) {
  extendSweep(id: $id, scales: $scales, seeds: $seeds, methods: $methods) { id status counts { total queued succeeded } }
}`;
/** The named error an extension must fail with. */
async function refused(variables: Record<string, unknown>): Promise<[string, string | undefined, string]> {
  const { data, errors } = await gql(EXTEND, variables);
  expect(data).toBeNull();
  expect(errors).toHaveLength(1);
  return [errors![0].extensions.code, errors![0].extensions.field, errors![0].message];
}

/** CFG at p_uncond 0.5 and the baseline: 2 models (ε-net, evaluator), 3 runs. */
async function launchSmall(): Promise<string> {
  const spec = { dataset: { kind: 'toy2d' }, guidance: ['none', 'classifier-free'], scales: [1, 2], pUncond: [0.5], samplesPerClass: 10 };
  const { data, errors } = await gql(`mutation($spec: JSON!) { launchSweep(spec: $spec) { id } }`, { spec });
  expect(errors).toBeUndefined();
  return data.launchSweep.id;
}

/** What a worker leaves behind: every model trained, every run scored, the sweep finished. */
async function finish(sweepId: string) {
  await prisma.model.updateMany({ where: { sweeps: { some: { sweepId } } }, data: { status: 'succeeded', step: 10, totalSteps: 10 } });
  await prisma.run.updateMany({ where: { sweepId }, data: { status: 'succeeded', phase: 'done', progress: 1 } });
  await prisma.sweep.update({ where: { id: sweepId }, data: { status: 'succeeded', finishedAt: new Date() } });
  const jobs = await prisma.$queryRaw<{ id: string }[]>`SELECT id::text FROM graphile_worker.jobs`;
  await utils.completeJobs(jobs.map((j) => j.id));
}

const jobKeys = () => stack.jobKeys();

describe('extendSweep', () => {
  it('adds only the missing grid points, reuses the trained models and queues the new runs at once', async () => {
    const id = await launchSmall();
    await finish(id);
    const models = await prisma.model.count();

    const { data, errors } = await gql(EXTEND, { id, scales: [4] });
    expect(errors).toBeUndefined();
    expect(data.extendSweep).toEqual({ id, status: 'running', counts: { total: 4, queued: 1, succeeded: 3 } });
    expect(await prisma.model.count()).toBe(models);
    const added = await prisma.run.findFirstOrThrow({ where: { sweepId: id, status: 'queued' } });
    expect([added.method, added.scale, added.seed]).toEqual(['classifier-free', 4, 0]);
    // Its models are trained: the new run is queued straight away, no training.
    expect(await jobKeys()).toEqual([`run:${added.id}`]);
    const sweep = await prisma.sweep.findUniqueOrThrow({ where: { id } });
    expect(sweep.spec).toMatchObject({ scales: [1, 2, 4], seeds: [0] });
    expect(sweep.finishedAt).toBeNull();
  });

  it('a new seed samples every point again with its own ε-net (seeds seed training too); the evaluator is reused', async () => {
    const id = await launchSmall();
    await finish(id);
    const before = await prisma.model.findMany({ select: { id: true } });
    const { data, errors } = await gql(EXTEND, { id, seeds: [7] });
    expect(errors).toBeUndefined();
    expect(data.extendSweep.counts).toEqual({ total: 6, queued: 3, succeeded: 3 });
    const fresh = await prisma.model.findMany({ where: { id: { notIn: before.map((m) => m.id) } } });
    expect(fresh.map((m) => [m.kind, (m.config as { seed: number }).seed])).toEqual([['eps', 7]]);
    expect(await jobKeys()).toEqual([`train:${fresh[0].id}`]);
  });

  it('a new method trains only the model it needs that the sweep lacks', async () => {
    const id = await launchSmall();
    await finish(id);
    const before = await prisma.model.findMany({ select: { id: true } });
    const { errors } = await gql(EXTEND, { id, methods: ['classifier'] });
    expect(errors).toBeUndefined();
    // Classifier guidance needs an unconditional ε-net and a noise-aware classifier: two new models, two train jobs.
    const added = await prisma.model.findMany({ where: { id: { notIn: before.map((m) => m.id) } } });
    expect(added.map((m) => m.kind).sort()).toEqual(['eps', 'noisy_classifier']);
    expect((await jobKeys()).filter((k) => k.startsWith('train:')).sort()).toEqual(added.map((m) => `train:${m.id}`).sort());
    expect(await prisma.sweepModel.count({ where: { sweepId: id } })).toBe(4);
  });

  it('refuses bad extensions with the field named, changing nothing', async () => {
    const id = await launchSmall();
    const before = await prisma.run.count({ where: { sweepId: id } });
    expect(await refused({ id })).toEqual(['BAD_USER_INPUT', '(grid)', '(grid) gains nothing: give scales, seeds or methods to add']);
    expect(await refused({ id, scales: [2, 3] })).toEqual([
      'BAD_USER_INPUT',
      'scales',
      'scales already lists 2 (the sweep has 1, 2); give only values to add',
    ]);
    const [code, field, message] = await refused({ id, scales: [300] });
    expect([code, field]).toEqual(['BAD_USER_INPUT', 'scales.2']);
    expect(message).toContain('100');
    expect((await refused({ id, methods: ['warp-drive'] })).slice(0, 2)).toEqual(['BAD_USER_INPUT', 'methods.2.method']);
    expect((await refused({ id, methods: 'icg' })).slice(0, 2)).toEqual(['BAD_USER_INPUT', 'methods']);
    expect(await refused({ id, methods: ['none'] })).toEqual(['BAD_USER_INPUT', 'methods', 'methods adds no grid point: every method given is already in the sweep']);
    // Over GUIDANCE_MAX_RUNS (12): 3 runs × 5 seeds.
    expect((await refused({ id, seeds: [1, 2, 3, 4] })).slice(0, 2)).toEqual(['BAD_USER_INPUT', '(grid)']);
    expect((await refused({ id: '00000000-0000-4000-8000-000000000000', scales: [3] })).slice(0, 2)).toEqual(['NOT_FOUND', 'id']);
    expect(await prisma.run.count({ where: { sweepId: id } })).toBe(before);
  });

  it('a cancelled sweep must be resumed first; resumed, it queues its runs again and can then be extended', async () => {
    const id = await launchSmall();
    await gql(`mutation($id: ID!) { cancelSweep(id: $id) { id } }`, { id });
    expect((await refused({ id, scales: [3] })).slice(0, 2)).toEqual(['BAD_USER_INPUT', 'id']);
    const { data } = await gql(`mutation($id: ID!) { resumeSweep(id: $id) { status counts { queued cancelled } } }`, { id });
    expect(data.resumeSweep).toEqual({ status: 'queued', counts: { queued: 3, cancelled: 0 } });
    const extended = await gql(EXTEND, { id, scales: [3] });
    expect(extended.data.extendSweep.counts).toEqual({ total: 4, queued: 4, succeeded: 0 });
  });
});
