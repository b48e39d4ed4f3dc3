import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/client';

/** A Prisma client over the `pg` driver adapter: no native query engine is needed. */
export function createPrisma(databaseUrl: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
}

/**
 * A plain `pg` pool that survives the server going away (a restart, or stop() in tests): without
 * 'error' listeners, an idle client's disconnect would crash the process. Hand it to
 * graphile-worker as `pgPool` and end() it yourself: graphile's own release() does not wait for
 * the pool it made to close, and removes the listeners first.
 */
export function createPool(databaseUrl: string, label: string, max = 4): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max });
  const report = (error: Error) => console.error(`[${label}] database connection: ${error.message}`);
  pool.on('error', report);
  pool.on('connect', (client) => client.on('error', report));
  return pool;
}
