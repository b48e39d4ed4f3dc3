/** Plain HTTP beside /graphql: sample grid PNGs, results exports and a run's samples (sampleRoutes.ts). Errors are JSON (httpGuards.ts). */
import { resultsToCsv } from '@guidance-lab/experiments';
import type { PrismaClient } from '@guidance-lab/db';
import { Router, type Request } from 'express';
import type { AccessPolicy } from './access';
import { permissions, presentedToken } from './auth';
import { isUuid } from './errors';
import { sendError } from './httpGuards';
import { sweepResults } from './results';
import { sampleRoutes } from './sampleRoutes';

export const originOf = (req: Pick<Request, 'protocol' | 'get'>) => `${req.protocol}://${req.get('host')}`;

export function fileRoutes(prisma: PrismaClient, policy: AccessPolicy, publicUrl?: string): Router {
  const router = Router();
  const baseUrl = (req: Request) => publicUrl ?? originOf(req);
  const cache = (seconds: number) => `${policy.tokenReads ? 'private' : 'public'}, max-age=${seconds}`;

  // With GUIDANCE_TOKEN_READS=1 the files are reads like any other.
  router.use(['/grids', '/sweeps', '/runs'], (req, res, next) => {
    if (permissions(policy, presentedToken(req.get('authorization'), req.query.access_token)).mayRead) return next();
    sendError(res, 401, 'UNAUTHENTICATED', 'reads need (GUIDANCE_TOKEN_READS=1) the header Authorization: Bearer <GUIDANCE_API_TOKEN> or ?access_token=');
  });

  router.get('/grids/:file', async (req, res) => {
    const runId = /^(.+)\.png$/.exec(req.params.file)?.[1];
    const grid = runId && isUuid(runId) ? await prisma.sampleGrid.findUnique({ where: { runId }, select: { png: true } }) : null;
    if (!grid) return sendError(res, 404, 'NOT_FOUND', 'no sample grid at this URL; grids are /grids/<run id>.png');
    res.type('image/png').set('Cache-Control', cache(300)).send(Buffer.from(grid.png));
  });

  router.get('/sweeps/:id/results.:format', async (req, res) => {
    const { id, format } = req.params;
    if (format !== 'csv' && format !== 'json') return sendError(res, 404, 'NOT_FOUND', 'results come as results.csv or results.json');
    const results = isUuid(id) ? await sweepResults(prisma, id, baseUrl(req)) : null;
    if (!results) return sendError(res, 404, 'NOT_FOUND', `sweep ${isUuid(id) ? id : '(not a sweep id)'} not found`);
    res.set('Content-Disposition', `attachment; filename="${id}-results.${format}"`);
    if (format === 'csv') res.type('text/csv').send(resultsToCsv(results));
    else res.json(results);
  });
  router.use(sampleRoutes(prisma, cache(3600)));
  return router;
}
