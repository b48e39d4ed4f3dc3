/**
 * The heartbeat thread on a real PostgreSQL: it registers our Worker row and renews the locks of
 * the jobs running here, and only those — a lock kept for a job that has ended must age so that
 * releaseOrphanedJobs can hand the job back.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startHeartbeat } from './heartbeat';
import { startTestQueue, type TestQueue } from './testQueue';

let queue: TestQueue;
beforeAll(async () => {
  queue = await startTestQueue();
});

afterAll(() => queue?.stop());

const POOL = 'pool-beating';

async function agedLock(key: string): Promise<string> {
  await queue.utils.addJob('some_task', {}, { jobKey: key });
  await queue.prisma.$executeRaw`UPDATE graphile_worker._private_jobs SET locked_by = ${POOL}, locked_at = now() - interval '1 hour' WHERE key = ${key}`;
  return (await queue.prisma.$queryRaw<{ id: string }[]>`SELECT id::text AS id FROM graphile_worker.jobs WHERE key = ${key}`)[0].id;
}

const ageOf = async (key: string) =>
  (await queue.prisma.$queryRaw<{ age_s: number }[]>`SELECT extract(epoch FROM now() - locked_at)::float AS age_s FROM graphile_worker.jobs WHERE key = ${key}`)[0].age_s;

test('each beat renews the locks of the running jobs only', async () => {
  const running = await agedLock('running');
  await agedLock('ended');
  const heartbeat = await startHeartbeat(queue.url, { id: POOL, host: 'here', pid: 1, backend: 'cpu' }, 100, () => undefined);
  try {
    expect(await queue.prisma.worker.findUnique({ where: { id: POOL } })).not.toBeNull();
    heartbeat.setRunningJobs([running]);
    for (let i = 0; i < 200 && (await ageOf('running')) > 60; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await ageOf('running')).toBeLessThan(60);
    expect(await ageOf('ended')).toBeGreaterThan(3000);
  } finally {
    await heartbeat.stop();
  }
});
