/**
 * GET /health: 200 {ok: true} when the API can reach its database, else 503 {ok: false} — a load
 * balancer or supervisor must not see the API as healthy while every query would fail.
 */
import type { PrismaClient } from '@guidance-lab/db';
import type { Request, Response } from 'express';

/** A database that does not answer within this long counts as down (an unreachable host never refuses). */
const TIMEOUT_MS = 5000;

export function healthRoute(prisma: PrismaClient) {
  return async (_req: Request, res: Response): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, fail) => (timer = setTimeout(() => fail(new Error('timeout')), TIMEOUT_MS)));
    try {
      await Promise.race([prisma.$queryRaw`SELECT 1`, timeout]);
      res.json({ ok: true });
    } catch {
      res.status(503).json({ ok: false, error: 'the database is unreachable' });
    } finally {
      clearTimeout(timer);
    }
  };
}
