/** A sweep's status follows its runs (scheduleReadyWork is exercised with real graphile jobs in apps/api). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshSweepStatus, type JobStatus, type PrismaClient } from './index';
import { startTestPrisma, testRun } from './testing';

let prisma: PrismaClient;
let stop: (() => Promise<void>) | undefined;
beforeAll(async () => {
  ({ prisma, stop } = await startTestPrisma());
});
afterAll(() => stop?.());

async function sweepWithRuns(id: string, statuses: JobStatus[]) {
  await prisma.sweep.create({ data: { id, name: id, spec: {} } });
  await prisma.run.createMany({ data: statuses.map((status, i) => testRun({ sweepId: id, key: `${i}`, status, seed: i })) });
}

describe('refreshSweepStatus', () => {
  it.each<[JobStatus[], JobStatus, boolean]>([
    [['queued', 'queued'], 'queued', false],
    [['running', 'queued'], 'running', false],
    [['succeeded', 'queued'], 'running', false],
    [['succeeded', 'succeeded'], 'succeeded', true],
    [['succeeded', 'failed'], 'failed', true],
    [['failed', 'running'], 'running', false],
  ])('runs %j → %s', async (runs, expected, finished) => {
    const id = runs.join('-');
    await sweepWithRuns(id, runs);
    expect(await refreshSweepStatus(prisma, id)).toBe(expected);
    const sweep = await prisma.sweep.findUniqueOrThrow({ where: { id } });
    expect(sweep.status).toBe(expected);
    expect(sweep.finishedAt !== null).toBe(finished);
    expect(sweep.startedAt !== null).toBe(expected !== 'queued');
    expect(sweep.error).toBe(expected === 'failed' ? '1 of 2 runs failed' : null);
  });

  it('leaves a cancelled sweep cancelled and answers null for an unknown one', async () => {
    await sweepWithRuns('c', ['succeeded', 'succeeded']);
    await prisma.sweep.update({ where: { id: 'c' }, data: { status: 'cancelled' } });
    expect(await refreshSweepStatus(prisma, 'c')).toBe('cancelled');
    expect(await refreshSweepStatus(prisma, 'nope')).toBeNull();
  });
});
