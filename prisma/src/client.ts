import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/client';

export interface PrismaOptions {
  /** Called after every query with its SQL and duration (benchmarks: what a request costs). */
  onQuery?: (sql: string, durationMs: number) => void;
}

/** A Prisma client over the `pg` driver adapter: no native query engine is needed. */
export function createPrisma(databaseUrl: string, { onQuery }: PrismaOptions = {}): PrismaClient {
  const adapter = new PrismaPg({ connectionString: databaseUrl });
  if (!onQuery) return new PrismaClient({ adapter });
  const prisma = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
  prisma.$on('query', (event) => onQuery(event.query, event.duration));
  return prisma;
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
