/**
 * The estimate query against a real PostgreSQL: the time follows this deployment's measured speed
 * (trainings and runs written as a worker would) and leaves out the models already trained.
 */
import type { PrismaClient } from '@guidance-lab/db';
import { expandSweep, parseSpec } from '@guidance-lab/experiments';
import { BENCH_THROUGHPUT, sweepCost } from '@guidance-lab/experiments/cost';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiStack, type ApiStack } from './testing';

let prisma: PrismaClient;
let stack: ApiStack;
beforeAll(async () => {
  stack = await startApiStack();
  ({ prisma } = stack);
});
afterAll(() => stack?.stop());

const gql: ApiStack['gql'] = (...args) => stack.gql(...args);
const ESTIMATE = `query($spec: JSON!) { estimate(spec: $spec) { runs models modelsTrained trainExamples samplingEvals seconds basis } }`;

const spec = {
  dataset: { kind: 'toy2d', classes: 2 },
  guidance: ['classifier-free'],
  scales: [1, 2],
  pUncond: [0.5],
  samplesPerClass: 10,
  sampler: { kind: 'ddim', steps: 10 },
  training: { steps: 100, batchSize: 10 },
  evaluator: { steps: 40, batchSize: 10 },
};

describe('estimate', () => {
  it('uses the bench figures on a new deployment, then the speed measured here, without the models already trained', async () => {
    const fresh = (await gql(ESTIMATE, { spec })).data!.estimate;
    const bench = sweepCost(parseSpec(spec), expandSweep(parseSpec(spec)), BENCH_THROUGHPUT.points);
    expect(fresh).toMatchObject({ runs: 2, models: 2, modelsTrained: 0, trainExamples: 1400 });
    expect(fresh.seconds).toBeCloseTo(bench.seconds, 9);
    expect(fresh.basis).toContain('bench');

    // A launched sweep whose ε-net trained in 10 s (1000 examples: 100 a second) and whose two runs took 2 s each.
    const launched = await gql(`mutation($spec: JSON!) { launchSweep(spec: $spec) { id } }`, { spec });
    const sweepId = launched.data.launchSweep.id;
    const t0 = new Date('2026-01-01T00:00:00Z');
    await prisma.model.updateMany({
      where: { kind: 'eps', sweeps: { some: { sweepId } } },
      data: { status: 'succeeded', startedAt: t0, finishedAt: new Date(t0.getTime() + 10_000) },
    });
    await prisma.run.updateMany({ where: { sweepId }, data: { status: 'succeeded', durationMs: 2000, finishedAt: t0 } });

    // The same spec with one more scale: the ε-net is reused, the evaluator (400 classifier-sized examples) is not.
    const more = (await gql(ESTIMATE, { spec: { ...spec, scales: [1, 2, 4] } })).data!.estimate;
    expect(more).toMatchObject({ runs: 3, models: 2, modelsTrained: 1, trainExamples: 400 });
    // Measured: training 100 examples/s; sampling evals of one run (2 classes × 10 samples × 10 steps × 2 branches = 400) per 2 s.
    expect(more.seconds).toBeCloseTo(400 / 4 / 100 + (3 * 400) / 200, 6);
    expect(more.basis).toBe("this deployment's speed: training as fast as its 1 latest training, sampling as fast as its 2 latest runs");
  });

  it('names every bad field of an invalid spec', async () => {
    const { errors } = await gql(ESTIMATE, { spec: { ...spec, scales: [-1], seeds: ['x'] } });
    expect(errors![0].extensions.code).toBe('BAD_USER_INPUT');
    expect(errors![0].extensions.issues!.map((i) => i.field).sort()).toEqual(['scales.0', 'seeds.0']);
  });
});
