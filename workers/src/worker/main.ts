/**
 * `npm run worker`: a worker joining a shared PostgreSQL (a remote GPU or CPU machine). It needs
 * DATABASE_URL; the single-machine setup runs its worker from `npm start` instead.
 * Env: GUIDANCE_BACKEND (auto, tensorflow, wasm, cpu), GUIDANCE_CONCURRENCY, and the settings in ./settings.ts.
 */
import { intSetting, resolveDatabase, type ResolvedDatabase } from '@guidance-lab/db';
import { MAX_CONCURRENCY, startWorker, type RunningWorker } from './index';
import { onShutdownSignal } from './onShutdownSignal';

if (!process.env.DATABASE_URL) {
  console.error(
    'npm run worker joins an existing database: set DATABASE_URL=postgresql://user:password@host:5432/db (the URL `npm start` prints).\n' +
      'To run everything on this machine (database, API, a worker and the dashboard), use `npm start`.',
  );
  process.exit(2);
}

// Started by `npm start` (spawnWorkerProcess): the channel closes when that process dies, even by
// SIGKILL — possibly while we are still starting, so listen from the first line.
const parentGone = process.channel ? new Promise<void>((resolve) => process.once('disconnect', resolve)) : null;

const DATABASE_POLL_MS = 2000;

/**
 * graphile-worker 0.17 can leave a rejected promise unhandled when the database is away as it
 * records a job's end (its batched failJobs/completeJobs): by default that ends the process. A
 * connection failure is logged instead — the runner restart below recovers from it; anything else
 * still ends the process.
 */
const CONNECTION_ERROR = /^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|57P0[1-3]|08\w{3})$/;
/** pg's errors carry the code; Prisma's say it in the message (P1001 "Can't reach database server", or the PostgreSQL code). */
function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (CONNECTION_ERROR.test(code) || code === 'P1001')) return true;
  const message = error instanceof Error ? error.message : String(error);
  return /ECONNREFUSED|ECONNRESET|Can't reach database server|57P0[1-3]|the database system is (starting up|not yet accepting connections|shutting down)/.test(message);
}
const onUnhandledRejection = (reason: unknown) => {
  if (isConnectionError(reason)) console.error(`database connection lost: ${String(reason)}`);
  else throw reason;
};
process.on('unhandledRejection', onUnhandledRejection);
/**
 * tfjs's wasm backend (Emscripten) adds a handler that rethrows every unhandled rejection: ours
 * alone decides. Removed as soon as it is added — a first job can fail (the database killed)
 * while the worker is still starting, before any later clean-up would have run.
 */
process.on('newListener', (event, listener) => {
  if (event === 'unhandledRejection' && listener !== onUnhandledRejection) setImmediate(() => process.off('unhandledRejection', listener));
});

try {
  const concurrency = intSetting('GUIDANCE_CONCURRENCY', process.env.GUIDANCE_CONCURRENCY, 1, 1, MAX_CONCURRENCY);
  let database: ResolvedDatabase | undefined;
  let stopping = false;
  /**
   * Starts a worker, waiting for the database while it cannot be reached (a worker started before
   * the database, or restarted while it is down); any other error ends the process. Null if
   * stopped meanwhile.
   */
  const startWhenReachable = async (): Promise<RunningWorker | null> => {
    for (;;) {
      try {
        database ??= await resolveDatabase(); // migrates it
        return await startWorker({ databaseUrl: database.url, concurrency });
      } catch (error) {
        if (!isConnectionError(error)) throw error;
        console.error(`waiting for the database: ${error instanceof Error ? error.message : String(error)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, DATABASE_POLL_MS));
      if (stopping) return null;
    }
  };
  const first = await startWhenReachable();
  if (!first) process.exit(0);
  let worker: RunningWorker = first;
  console.log(`worker ${worker.id} running on backend ${worker.backend}; Ctrl-C to stop`);

  // graphile's runner ends itself when it cannot record a job's end (the database went away
  // mid-job). Wait for the database and start afresh; the abandoned runner's jobs come back
  // through the dead-worker reclaim, and training resumes from its last checkpoint.
  const restartWhenFailed = (current: RunningWorker) =>
    current.finished.catch(async (error) => {
      if (stopping) return;
      console.error(`the job runner stopped (${error instanceof Error ? error.message : String(error)}); waiting for the database…`);
      await current.abandon();
      await new Promise((resolve) => setTimeout(resolve, DATABASE_POLL_MS));
      const next = await startWhenReachable();
      if (!next) return;
      worker = next;
      console.log(`worker ${worker.id} running again on backend ${worker.backend}`);
      void restartWhenFailed(worker);
    });
  void restartWhenFailed(worker);

  const shutdown = onShutdownSignal(async (reason) => {
    stopping = true;
    console.log(`${reason}: stopping (a running job goes back to the queue; training resumes from its last checkpoint)…`);
    await worker.stop();
    await database?.stop();
  });
  void parentGone?.then(() => shutdown('the parent process is gone'));
} catch (error) {
  console.error(`worker failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
