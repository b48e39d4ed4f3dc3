/** /health follows the database: ok while it answers, 503 JSON once it is gone (a real PostgreSQL, stopped). */
import { createPrisma, startTestDatabase } from '@guidance-lab/db';
import { expect, test } from 'vitest';
import { createApiServer } from './server';

test('/health is ok with the database up and 503 {ok: false} with it down', async () => {
  const db = await startTestDatabase();
  const prisma = createPrisma(db.url);
  const api = await createApiServer({ prisma, databaseUrl: db.url, port: 0 });
  const health = new URL('/health', api.url).href;
  try {
    const up = await fetch(health);
    expect(up.status).toBe(200);
    expect(await up.json()).toEqual({ ok: true });

    await db.stop();
    const down = await fetch(health);
    expect(down.status).toBe(503);
    expect(down.headers.get('content-type')).toContain('application/json');
    expect(await down.json()).toEqual({ ok: false, error: 'the database is unreachable' });
  } finally {
    await api.stop();
    await prisma.$disconnect();
  }
});
