import { startEmbeddedPostgres } from './embedded';
import { migrate } from './migrate';

export interface ResolvedDatabase {
  url: string;
  /** True when this process started the embedded PostgreSQL. */
  embedded: boolean;
  stop(): Promise<void>;
}

/** DATABASE_URL when set (workers on other machines), else the embedded PostgreSQL; migrated either way. */
export async function resolveDatabase(): Promise<ResolvedDatabase> {
  const external = process.env.DATABASE_URL;
  const db = external ? { url: external, stop: async () => undefined } : await startEmbeddedPostgres();
  try {
    const applied = await migrate(db.url);
    if (applied.length) console.log(`[db] applied migrations: ${applied.join(', ')}`);
  } catch (err) {
    await db.stop();
    throw err;
  }
  return { url: db.url, embedded: !external, stop: db.stop };
}
