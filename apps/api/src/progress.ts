/**
 * sweepProgress: polls the database (workers write progress there, from any machine) and emits
 * the sweep whenever a run's or model's state changes; ends after emitting an ended sweep.
 */
import { ACTIVE, type PrismaClient, type Sweep } from '@guidance-lab/db';
import { notFound } from './errors';


/** Everything a progress view shows, as one comparable string. */
async function fingerprint(prisma: PrismaClient, id: string): Promise<{ sweep: Sweep; key: string } | null> {
  // One snapshot: read apart, a change landing between the reads (a cancel's transaction) would
  // show half of it, e.g. the models cancelled but the sweep still queued.
  const [sweep, runs, models] = await prisma.$transaction(
    [
      prisma.sweep.findUnique({ where: { id } }),
      prisma.run.findMany({ where: { sweepId: id }, select: { id: true, status: true, phase: true, progress: true }, orderBy: { id: 'asc' } }),
      prisma.model.findMany({ where: { sweeps: { some: { sweepId: id } } }, select: { id: true, status: true, step: true }, orderBy: { id: 'asc' } }),
    ],
    { isolationLevel: 'RepeatableRead' },
  );
  if (!sweep) return null;
  return { sweep, key: JSON.stringify([sweep.status, runs, models]) };
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((done) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), done()), { once: true });
  });

async function* poll(prisma: PrismaClient, id: string, signal: AbortSignal): AsyncGenerator<Sweep> {
  let last = '';
  while (!signal.aborted) {
    const now = await fingerprint(prisma, id);
    if (!now) throw notFound('sweep', id);
    if (now.key !== last) {
      last = now.key;
      yield now.sweep;
    }
    if (!ACTIVE.includes(now.sweep.status)) return;
    await sleep(Number(process.env.GUIDANCE_PROGRESS_POLL_MS ?? 1000), signal);
  }
}

/**
 * The stream of sweep states. return() (a client unsubscribing) must stop the polling at once: an
 * async generator only sees return() at its next yield, which an idle sweep may never reach.
 */
export function sweepProgress(prisma: PrismaClient, id: string): AsyncIterableIterator<Sweep> {
  const stop = new AbortController();
  const inner = poll(prisma, id, stop.signal);
  return {
    next: () => inner.next(),
    return: async () => {
      stop.abort();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
