/**
 * For tests: one throw-away embedded PostgreSQL per test file, migrated, in a temp folder the
 * `postgres` user can reach when the tests run as root (a 0755 folder under /tmp).
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Prisma, PrismaClient } from '../generated/client';
import { createPrisma } from './client';
import { startEmbeddedPostgres } from './embedded';
import { migrate } from './migrate';

export interface TestDatabase {
  url: string;
  /** The server's data directory (a test that kills the server restarts it from there, on the same port). */
  dataDir: string;
  stop(): Promise<void>;
}

/** `durable`: commits survive a killed server (default off: faster, and nothing outlives a test). */
export async function startTestDatabase({ durable = false }: { durable?: boolean } = {}): Promise<TestDatabase> {
  const root = await mkdtemp('/tmp/guidance-lab-test-db-');
  await chmod(root, 0o755);
  const dataDir = join(root, 'data');
  const db = await startEmbeddedPostgres({ dataDir, port: 0, durable });
  try {
    await migrate(db.url);
  } catch (err) {
    await db.stop();
    throw err;
  }
  return {
    url: db.url,
    dataDir,
    stop: async () => {
      await db.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** A test database with a client on it and one model, "m", for test runs to point at; stop() ends both. */
export async function startTestPrisma(): Promise<{ prisma: PrismaClient; stop(): Promise<void> }> {
  const db = await startTestDatabase();
  const prisma = createPrisma(db.url);
  const stop = async () => {
    await prisma.$disconnect();
    await db.stop();
  };
  try {
    await prisma.model.create({ data: { id: 'm', key: 'm', kind: 'eps', config: {} } });
  } catch (err) {
    await stop();
    throw err;
  }
  return { prisma, stop };
}

/** A run row with every required field, on model "m" (startTestPrisma); `fields` names its sweep and key and sets the rest. */
export function testRun(fields: { sweepId: string; key: string } & Partial<Prisma.RunCreateManyInput>): Prisma.RunCreateManyInput {
  return { guidance: 'none', method: 'none', pUncond: 0.1, scale: 0, seed: 0, sampler: 'ddim', steps: 10, eta: 0, samplesPerClass: 1, epsModelId: 'm', evaluatorModelId: 'm', ...fields };
}
