/**
 * The heartbeat thread on a real PostgreSQL: it registers our Worker row and renews the locks of
 * the jobs running here, and only those — a lock kept for a job that has ended must age so that
 * releaseOrphanedJobs can hand the job back.
 */
import { createPrisma, startTestDatabase, type PrismaClient, type TestDatabase } from '@guidance-lab/db';
import { makeWorkerUtils, type WorkerUtils } from 'graphile-worker';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startHeartbeat } from './heartbeat';

let db: TestDatabase;
let prisma: PrismaClient;
let utils: WorkerUtils;

beforeAll(async () => {
  db = await startTestDatabase();
  prisma = createPrisma(db.url);
  utils = await makeWorkerUtils({ connectionString: db.url });
  await utils.migrate();
});

afterAll(async () => {
  await utils?.release();
  await prisma?.$disconnect();
  await db?.stop();
});

const POOL = 'pool-beating';

async function agedLock(key: string): Promise<string> {
  await utils.addJob('some_task', {}, { jobKey: key });
  await prisma.$executeRaw`UPDATE graphile_worker._private_jobs SET locked_by = ${POOL}, locked_at = now() - interval '1 hour' WHERE key = ${key}`;
  return (await prisma.$queryRaw<{ id: string }[]>`SELECT id::text AS id FROM graphile_worker.jobs WHERE key = ${key}`)[0].id;
}

const ageOf = async (key: string) =>
  (await prisma.$queryRaw<{ age_s: number }[]>`SELECT extract(epoch FROM now() - locked_at)::float AS age_s FROM graphile_worker.jobs WHERE key = ${key}`)[0].age_s;

test('each beat renews the locks of the running jobs only', async () => {
  const running = await agedLock('running');
  await agedLock('ended');
  const heartbeat = await startHeartbeat(db.url, { id: POOL, host: 'here', pid: 1, backend: 'cpu' }, 100, () => undefined);
  try {
    expect(await prisma.worker.findUnique({ where: { id: POOL } })).not.toBeNull();
    heartbeat.setRunningJobs([running]);
    for (let i = 0; i < 200 && (await ageOf('running')) > 60; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await ageOf('running')).toBeLessThan(60);
    expect(await ageOf('ended')).toBeGreaterThan(3000);
  } finally {
    await heartbeat.stop();
  }
});
