/** Test set-up shared by the API's database-backed test files. */
import { createPrisma, startTestDatabase, type PrismaClient, type TestDatabase } from '@guidance-lab/db';
import { makeWorkerUtils, type WorkerUtils } from 'graphile-worker';
import type { ApiServer } from './server';

export interface ApiStack {
  db: TestDatabase;
  prisma: PrismaClient;
  api: ApiServer;
  utils: WorkerUtils;
  /** Stops what was started, last first. */
  stop(): Promise<void>;
}

/** A fresh PostgreSQL, an API server on it (port chosen by the OS) and graphile-worker utilities. */
export async function startApiStack(env: Record<string, string> = {}): Promise<ApiStack> {
  Object.assign(process.env, env);
  const s: Partial<ApiStack> = {};
  const stop = async () => {
    await s.api?.stop();
    await s.utils?.release();
    await s.prisma?.$disconnect();
    await s.db?.stop();
  };
  try {
    s.db = await startTestDatabase();
    s.prisma = createPrisma(s.db.url);
    // Imported after env is set: some of its modules read the environment when loaded.
    const { createApiServer } = await import('./server');
    s.api = await createApiServer({ prisma: s.prisma, databaseUrl: s.db.url, port: 0 });
    s.utils = await makeWorkerUtils({ connectionString: s.db.url });
  } catch (e) {
    await stop();
    throw e;
  }
  return { ...(s as Omit<ApiStack, 'stop'>), stop };
}
