/** Test set-up shared by the API's database-backed test files. */
import { createPrisma, startTestDatabase, type PrismaClient, type TestDatabase } from '@guidance-lab/db';
import { makeWorkerUtils, type WorkerUtils } from 'graphile-worker';
import type { ApiServer } from './server';

export interface GqlError {
  message: string;
  extensions: { code: string; field?: string; stacktrace?: unknown; issues?: { field: string }[] };
}

export interface ApiStack {
  db: TestDatabase;
  prisma: PrismaClient;
  api: ApiServer;
  utils: WorkerUtils;
  /** A GraphQL request over HTTP; its `data` and `errors` as they came back. */
  gql<T = any>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<{ data?: T; errors?: GqlError[] }>;
  /** The keys of graphile-worker's queued jobs, sorted. */
  jobKeys(): Promise<string[]>;
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
  const { db, prisma, api, utils } = s as Required<typeof s>;
  return {
    db,
    prisma,
    api,
    utils,
    async gql(query, variables = {}, headers = {}) {
      const res = await fetch(api.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
      return (await res.json()) as { data?: any; errors?: GqlError[] };
    },
    jobKeys: async () => (await prisma.$queryRaw<{ key: string }[]>`SELECT key FROM graphile_worker.jobs WHERE key IS NOT NULL ORDER BY key`).map((r) => r.key),
    stop,
  };
}
