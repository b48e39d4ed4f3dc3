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
  stop(): Promise<void>;
}

export async function startTestDatabase(): Promise<TestDatabase> {
  const root = await mkdtemp('/tmp/guidance-lab-test-db-');
  await chmod(root, 0o755);
  const db = await startEmbeddedPostgres({ dataDir: join(root, 'data'), port: 0, durable: false });
  try {
    await migrate(db.url);
  } catch (err) {
    await db.stop();
    throw err;
  }
  return {
    url: db.url,
    stop: async () => {
      await db.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}
