/** For the worker's tests: a throw-away PostgreSQL with a Prisma client and graphile-worker's queue migrated. */
import { createPrisma, startTestDatabase, type PrismaClient } from '@guidance-lab/db';
import { makeWorkerUtils, type WorkerUtils } from 'graphile-worker';

export interface TestQueue {
  url: string;
  prisma: PrismaClient;
  utils: WorkerUtils;
  stop(): Promise<void>;
}

export async function startTestQueue(): Promise<TestQueue> {
  const db = await startTestDatabase();
  const prisma = createPrisma(db.url);
  const utils = await makeWorkerUtils({ connectionString: db.url });
  await utils.migrate();
  return {
    url: db.url,
    prisma,
    utils,
    async stop() {
      await utils.release();
      await prisma.$disconnect();
      await db.stop();
    },
  };
}
