/** A run's samples and predictions through PostgreSQL and back, bit for bit. */
import { storedSamples } from '@guidance-lab/experiments';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packPredictions, packSamples, unpackPredictions, unpackSamples, type PrismaClient } from './index';
import { startTestPrisma, testRun } from './testing';

let prisma: PrismaClient;
let stop: (() => Promise<void>) | undefined;
beforeAll(async () => {
  ({ prisma, stop } = await startTestPrisma());
  await prisma.sweep.create({ data: { id: 's', name: 's', spec: {} } });
  await prisma.run.createMany({ data: ['img', 'pts'].map((id) => testRun({ id, sweepId: 's', key: id, seed: 5, samplesPerClass: 3 })) });
});
afterAll(() => stop?.());

// Seeded values that exercise every byte and sign, not a compressible pattern alone.
const wavy = (n: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898) * 1.2);

describe('stored samples', () => {
  it('round-trip bit-exactly through the database, images as bytes and points as float32', async () => {
    const image = storedSamples(wavy(6 * 28 * 28), [28, 28, 1], new Int32Array([0, 0, 0, 1, 1, 1]), 5);
    const points = storedSamples(wavy(2 * 6), [2], new Int32Array([0, 0, 0, 1, 1, 1]), 5);
    for (const [runId, set] of [['img', image], ['pts', points]] as const) {
      await prisma.runSamples.create({ data: { runId, ...packSamples(set) } });
      const row = await prisma.runSamples.findUniqueOrThrow({ where: { runId } });
      expect(unpackSamples(row)).toEqual(set);
      expect(row.count).toBe(6);
      expect(row.rawBytes).toBe(set.x.byteLength + 6 * 4);
    }
  });

  it('keep predictions per evaluator, bit-exactly', async () => {
    const p = { predicted: new Int32Array([0, 1, 1, 0, 1, 1]), confidence: new Float32Array([0.5, 0.99, 0.7, 0.3333, 1, 0.25]) };
    await prisma.samplePredictions.create({ data: { runId: 'img', evaluatorHash: 'a', ...packPredictions(p) } });
    await prisma.samplePredictions.create({ data: { runId: 'img', evaluatorHash: 'b', ...packPredictions({ ...p, predicted: new Int32Array(6) }) } });
    expect(unpackPredictions(await prisma.samplePredictions.findUniqueOrThrow({ where: { runId_evaluatorHash: { runId: 'img', evaluatorHash: 'a' } } }))).toEqual(p);
  });

  it('go with their sweep', async () => {
    await prisma.sweep.delete({ where: { id: 's' } });
    expect([await prisma.runSamples.count(), await prisma.samplePredictions.count()]).toEqual([0, 0]);
  });
});
