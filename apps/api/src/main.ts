/** `tsx apps/api/src/main.ts`: the API on PORT (default 4000), on DATABASE_URL or the embedded PostgreSQL. */
import { createPrisma, resolveDatabase } from '@guidance-lab/db';
import { accessFromEnv, checkExposure } from './access';
import { createApiServer } from './server';

const port = Number(process.env.PORT ?? 4000);
if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a whole number from 0 to 65535 (got "${process.env.PORT}")`);

try {
  checkExposure(accessFromEnv()); // before the database: a refused configuration starts nothing
} catch (error) {
  console.error(`[api] not started: ${(error as Error).message}`);
  process.exit(1);
}

const db = await resolveDatabase();
const prisma = createPrisma(db.url);
const api = await createApiServer({ prisma, databaseUrl: db.url, port });
console.log(`[api] GraphQL on ${api.url} (subscriptions: ws on the same URL)`);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`[api] ${signal}: stopping`);
  await api.stop();
  await prisma.$disconnect();
  await db.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
