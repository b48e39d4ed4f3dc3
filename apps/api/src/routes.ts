/** Plain HTTP beside /graphql: sample grid PNGs, results exports and a run's samples (sampleRoutes.ts). */
import { resultsToCsv } from '@guidance-lab/experiments';
import type { PrismaClient } from '@guidance-lab/db';
import { Router, type Request } from 'express';
import { sweepResults } from './results';
import { sampleRoutes } from './sampleRoutes';

export const originOf = (req: Pick<Request, 'protocol' | 'get'>) => `${req.protocol}://${req.get('host')}`;

export function fileRoutes(prisma: PrismaClient, publicUrl?: string): Router {
  const router = Router();
  const baseUrl = (req: Request) => publicUrl ?? originOf(req);

  router.get('/grids/:file', async (req, res) => {
    const runId = /^(.+)\.png$/.exec(req.params.file)?.[1];
    const grid = runId ? await prisma.sampleGrid.findUnique({ where: { runId }, select: { png: true } }) : null;
    if (!grid) {
      res.status(404).json({ error: `no sample grid for run ${runId ?? req.params.file}` });
      return;
    }
    res.type('image/png').set('Cache-Control', 'public, max-age=300').send(Buffer.from(grid.png));
  });

  router.get('/sweeps/:id/results.:format', async (req, res) => {
    const { id, format } = req.params;
    if (format !== 'csv' && format !== 'json') {
      res.status(404).json({ error: `results come as results.csv or results.json, not results.${format}` });
      return;
    }
    const results = await sweepResults(prisma, id, baseUrl(req));
    if (!results) {
      res.status(404).json({ error: `sweep ${id} not found` });
      return;
    }
    res.set('Content-Disposition', `attachment; filename="${id}-results.${format}"`);
    if (format === 'csv') res.type('text/csv').send(resultsToCsv(results));
    else res.json(results);
  });
  router.use(sampleRoutes(prisma));
  return router;
}
