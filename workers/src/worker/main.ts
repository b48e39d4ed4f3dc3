/**
 * `npm run worker`: a worker joining a shared PostgreSQL (a remote GPU or CPU machine). It needs
 * DATABASE_URL; the single-machine setup runs its worker from `npm start` instead.
 * Env: GUIDANCE_BACKEND (auto, tensorflow, wasm, cpu), GUIDANCE_CONCURRENCY, and the settings in ./settings.ts.
 */
import { resolveDatabase } from '@guidance-lab/db';
import { startWorker } from './index';
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

try {
  const database = await resolveDatabase();
  const worker = await startWorker({
    databaseUrl: database.url,
    concurrency: process.env.GUIDANCE_CONCURRENCY ? Number(process.env.GUIDANCE_CONCURRENCY) : undefined,
  });
  console.log(`worker ${worker.id} running on backend ${worker.backend}; Ctrl-C to stop`);
  // A job runner that dies on its own (e.g. the database went away mid-job) leaves nothing to do
  // here: exit non-zero so a supervisor restarts us; the queue and the checkpoints are in the database.
  worker.finished.catch((error) => {
    console.error(`worker stopped: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
  const shutdown = onShutdownSignal(async (reason) => {
    console.log(`${reason}: stopping (a running job goes back to the queue; training resumes from its last checkpoint)…`);
    await worker.stop();
    await database.stop();
  });
  void parentGone?.then(() => shutdown('the parent process is gone'));
} catch (error) {
  console.error(`worker failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
