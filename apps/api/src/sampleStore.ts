/**
 * A run's stored samples as the API serves them: the decoded set (a few recently read runs kept,
 * as a dashboard pages through one run), one sample as PNG, and the class names to file them under.
 */
import { unpackSamples, unpackPredictions, type Predictions, type PrismaClient } from '@guidance-lab/db';
import type { SampleSet } from '@guidance-lab/experiments';
import { PNG } from 'pngjs';

export interface StoredRun {
  samples: SampleSet;
  classNames: string[];
}

const RECENT = 4;
const recent = new Map<string, StoredRun>();

/** null when the run has no stored samples (not finished, or sampled before samples were kept). */
export async function storedRun(prisma: PrismaClient, runId: string): Promise<StoredRun | null> {
  const row = await prisma.runSamples.findUnique({ where: { runId }, include: { run: { select: { grid: { select: { classNames: true } } } } } });
  if (!row) return null;
  // Rows are written once per run, so (run, write time) names the contents.
  const key = `${runId}:${row.createdAt.getTime()}`;
  let stored = recent.get(key);
  if (!stored) {
    const samples = unpackSamples(row);
    const names = (row.run.grid?.classNames as string[] | undefined) ?? [];
    const classes = Math.max(0, ...samples.y) + 1;
    stored = { samples, classNames: Array.from({ length: classes }, (_, c) => names[c] ?? String(c)) };
    if (recent.size >= RECENT) recent.delete(recent.keys().next().value!);
    recent.set(key, stored);
  }
  return stored;
}

/** One evaluator's predictions for a run: the one asked for, else the run's own evaluator's; null when it has none. */
export async function storedPredictions(prisma: PrismaClient, runId: string, evaluatorHash: string | null): Promise<(Predictions & { evaluatorHash: string }) | null> {
  const hash = evaluatorHash ?? (await prisma.run.findUnique({ where: { id: runId }, select: { evaluatorModel: { select: { weightsHash: true } } } }))?.evaluatorModel.weightsHash;
  if (!hash) return null;
  const row = await prisma.samplePredictions.findUnique({ where: { runId_evaluatorHash: { runId, evaluatorHash: hash } } });
  return row && { ...unpackPredictions(row), evaluatorHash: hash };
}

export const isImageSet = (set: SampleSet) => set.x instanceof Uint8Array;

/** Sample `index` of an image set as a PNG at its own size. */
export function samplePng(set: SampleSet, index: number): Uint8Array {
  const [height, width, channels] = set.shape;
  const per = height * width * channels;
  const values = set.x.subarray(index * per, (index + 1) * per);
  const png = new PNG({ width, height });
  for (let p = 0; p < height * width; p++) {
    for (let c = 0; c < 3; c++) png.data[4 * p + c] = values[p * channels + (channels === 1 ? 0 : c)];
    png.data[4 * p + 3] = 255;
  }
  return PNG.sync.write(png);
}

/** A class name safe as a folder name inside a zip. */
export const folderName = (name: string) => name.replace(/[^\w.-]+/g, '_').replace(/^\.+/, '_') || '_';
