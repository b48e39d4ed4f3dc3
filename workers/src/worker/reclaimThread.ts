/**
 * The thread that looks for dead workers (startReclaimer in reclaimer.ts): on its own event loop,
 * so a long synchronous training step on the main thread cannot delay another worker's recovery.
 * It has its own Prisma client and graphile utils; it reports to the main thread by messages.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createPrisma } from '@guidance-lab/db';
import { makeWorkerUtils } from 'graphile-worker';
import { reclaimDeadWorkers, releaseOrphanedJobs } from './reclaimDeadWorkers';
import type { ReclaimerCommand, ReclaimerData, ReclaimerMessage } from './reclaimer';
import { quietGraphileLogger } from './quietLogger';

const { databaseUrl, settings } = workerData as ReclaimerData;
const port = parentPort!;
const say = (message: ReclaimerMessage) => port.postMessage(message);
const prisma = createPrisma(databaseUrl);
const utils = await makeWorkerUtils({ connectionString: databaseUrl, logger: quietGraphileLogger((log) => say({ log })) });
const ctx = { prisma, workerId: '', settings, setJobActive: () => undefined, log: (log: string) => say({ log }) };

/** The graphile job ids running on the main thread (its locks are renewed; any other lock of ours is an orphan). */
let running: string[] = [];
let stopped = false;
let timer: NodeJS.Timeout | undefined;
const pass = async () => {
  try {
    const reclaimed = await reclaimDeadWorkers(ctx, utils);
    if (reclaimed.length) say({ reclaimed });
    const released = await releaseOrphanedJobs(ctx, utils, running);
    if (released.length) say({ log: `released job(s) ${released.join(', ')}: they ended while the database was away and kept our lock` });
  } catch (error) {
    say({ log: `reclaiming dead workers failed: ${String(error)}` });
  }
  if (!stopped) timer = setTimeout(pass, settings.heartbeatMs);
};

port.on('message', async (message: ReclaimerCommand) => {
  if ('running' in message) {
    running = message.running;
    return;
  }
  if ('workerId' in message) {
    ctx.workerId = message.workerId;
    await pass(); // the first pass straight away: a worker dead for long is reclaimed at once
    return;
  }
  stopped = true;
  clearTimeout(timer);
  await Promise.resolve(utils.release()).catch(() => undefined);
  await prisma.$disconnect().catch(() => undefined);
  port.close();
});
say({ ready: true });
