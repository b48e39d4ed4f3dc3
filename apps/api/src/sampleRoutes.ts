/**
 * A run's stored samples over plain HTTP: samples.npz (NumPy arrays x, y, seed), samples.zip (one
 * PNG per image in a folder per class; image data only) and one sample as PNG for the dashboard.
 */
import type { PrismaClient } from '@guidance-lab/db';
import { samplesToNpz } from '@guidance-lab/experiments';
import type { Response } from 'express';
import { Router } from 'express';
import { zipSync } from 'fflate';
import { folderName, isImageSet, samplePng, storedRun } from './sampleStore';

const noSamples = (res: Response, runId: string) => res.status(404).json({ error: `run ${runId} has no stored samples (not finished, or sampled before samples were kept)` });
const notImages = (res: Response, runId: string) => res.status(404).json({ error: `run ${runId} holds 2-D points, not images: download samples.npz` });

export function sampleRoutes(prisma: PrismaClient): Router {
  const router = Router();

  router.get('/runs/:id/samples.:format', async (req, res) => {
    const { id, format } = req.params;
    if (format !== 'npz' && format !== 'zip') {
      res.status(404).json({ error: `samples come as samples.npz or samples.zip, not samples.${format}` });
      return;
    }
    const stored = await storedRun(prisma, id);
    if (!stored) return void noSamples(res, id);
    const { samples, classNames } = stored;
    if (format === 'npz') {
      res.type('application/octet-stream').set('Content-Disposition', `attachment; filename="${id}-samples.npz"`).send(Buffer.from(samplesToNpz(samples)));
      return;
    }
    if (!isImageSet(samples)) return void notImages(res, id);
    const width = String(samples.y.length - 1).length;
    const files: Record<string, Uint8Array> = {};
    // PNGs are compressed already: stored, not deflated again.
    samples.y.forEach((label, i) => (files[`${folderName(classNames[label])}/${String(i).padStart(width, '0')}.png`] = samplePng(samples, i)));
    res.type('application/zip').set('Content-Disposition', `attachment; filename="${id}-samples.zip"`).send(Buffer.from(zipSync(files, { level: 0 })));
  });

  router.get('/runs/:id/samples/:file', async (req, res) => {
    const { id, file } = req.params;
    const index = Number(/^(\d+)\.png$/.exec(file)?.[1] ?? NaN);
    const stored = await storedRun(prisma, id);
    if (!stored) return void noSamples(res, id);
    if (!isImageSet(stored.samples)) return void notImages(res, id);
    if (!Number.isInteger(index) || index >= stored.samples.y.length) {
      res.status(404).json({ error: `run ${id} has samples 0.png to ${stored.samples.y.length - 1}.png, not ${file}` });
      return;
    }
    res.type('image/png').set('Cache-Control', 'public, max-age=3600').send(Buffer.from(samplePng(stored.samples, index)));
  });
  return router;
}
