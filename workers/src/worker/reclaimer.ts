/**
 * Runs reclaimDeadWorkers every heartbeat on a thread of its own (reclaimThread.ts): a dead
 * worker's jobs are back in the queue about STALE_MS after its last beat even while every job
 * slot here is busy with a long synchronous training step.
 */
import type { WorkerSettings } from './settings';
import { startTsThread } from '../engine/backend/tsThread';

const STOP_GRACE_MS = 5000;

export interface ReclaimerData {
  databaseUrl: string;
  settings: WorkerSettings;
}

/** To the thread: whose beat to measure staleness against (our Worker row), the jobs running here, or stop. */
export type ReclaimerCommand = { workerId: string } | { running: string[] } | { stop: true };
export type ReclaimerMessage = { ready: true } | { reclaimed: string[] } | { log: string };

export interface Reclaimer {
  /** Settles once the thread has loaded; rejects if it could not. */
  loaded: Promise<void>;
  /** Begins the passes, as the worker `workerId` (our graphile pool's id, known once the runner exists). */
  start(workerId: string): void;
  /** The graphile job ids running here now: their locks are not orphans. */
  setRunningJobs(ids: string[]): void;
  stop(): Promise<void>;
}

/**
 * Starts loading the thread at once — a worker's start-up is slow on a busy machine, and the
 * reclaim must be ready the moment our id is known, not after our first job has begun.
 */
export function startReclaimer(data: ReclaimerData, log: (message: string) => void): Reclaimer {
  const thread = startTsThread(new URL('./reclaimThread.ts', import.meta.url), data);
  thread.unref(); // never keeps a finished process alive
  const exited = new Promise<void>((done) => thread.once('exit', () => done()));
  const command = (message: ReclaimerCommand) => thread.postMessage(message);
  const loaded = new Promise<void>((resolve, reject) => {
    let ready = false;
    thread.on('error', (error) => (ready ? log(`reclaimer thread failed: ${String(error)}`) : reject(error)));
    thread.on('message', (message: ReclaimerMessage) => {
      if ('log' in message) log(message.log);
      else if ('reclaimed' in message) log(`reclaimed the jobs of dead worker(s) ${message.reclaimed.join(', ')}`);
      else if (!ready) {
        ready = true;
        resolve();
      }
    });
  });
  loaded.catch(() => undefined); // whoever awaits it sees the error; an early stop() need not
  return {
    loaded,
    start: (workerId) => command({ workerId }),
    setRunningJobs: (running) => command({ running }),
    async stop() {
      command({ stop: true }); // queued until the thread listens, if it is still loading
      // A pass stuck on an unreachable database must not hold up the shutdown.
      const stuck = setTimeout(() => void thread.terminate(), STOP_GRACE_MS);
      await exited;
      clearTimeout(stuck);
    },
  };
}
