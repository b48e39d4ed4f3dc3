/**
 * For tests: one throw-away embedded PostgreSQL per test file, migrated, in a temp folder the
 * `postgres` user can reach when the tests run as root (a 0755 folder under /tmp).
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
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
