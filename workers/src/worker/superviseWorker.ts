/**
 * `npm start`'s worker, kept running: a worker that exits on its own (a crash, an OOM kill, a
 * database it gave up on) is restarted after a back-off that doubles with each quick failure
 * (1 s, 2 s, 4 s … 60 s) and resets once a worker has run for a minute. Its jobs meanwhile come
 * back through the dead-worker reclaim, and training resumes from the last checkpoint.
 */
import type { ChildProcess } from 'node:child_process';
import { spawnWorkerProcess } from './spawnWorkerProcess';
import { stopChild } from './stopChild';

const FIRST_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 60_000;
/** A worker that ran this long was healthy: the next failure starts the back-off afresh. */
const HEALTHY_AFTER_MS = 60_000;

export interface SuperviseOptions {
  databaseUrl: string;
  env?: Record<string, string>;
  stdio?: 'inherit' | 'pipe';
  /** SIGTERM → SIGKILL grace on stop. */
  graceMs: number;
  log: (message: string) => void;
  /** Each new worker process, e.g. to read its output. */
  onSpawn?: (child: ChildProcess) => void;
}

export interface SupervisedWorker {
  /** The current worker process (null while waiting to restart). */
  current(): ChildProcess | null;
  stop(): Promise<void>;
}

export function superviseWorker(options: SuperviseOptions): SupervisedWorker {
  let child: ChildProcess | null = null;
  let stopping = false;
  let backoffMs = FIRST_BACKOFF_MS;
  let restartTimer: NodeJS.Timeout | undefined;

  const launch = () => {
    const startedAt = Date.now();
    const worker = spawnWorkerProcess(options.databaseUrl, { env: options.env, stdio: options.stdio });
    child = worker;
    options.onSpawn?.(worker);
    worker.once('exit', (code, signal) => {
      child = null;
      if (stopping) return;
      if (Date.now() - startedAt >= HEALTHY_AFTER_MS) backoffMs = FIRST_BACKOFF_MS;
      options.log(`worker (pid ${worker.pid}) exited (${signal ?? `code ${code}`}); restarting in ${backoffMs / 1000} s`);
      restartTimer = setTimeout(launch, backoffMs);
      backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    });
  };
  launch();

  return {
    current: () => child,
    async stop() {
      stopping = true;
      clearTimeout(restartTimer);
      if (child) await stopChild(child, options.graceMs, options.log);
    },
  };
}
