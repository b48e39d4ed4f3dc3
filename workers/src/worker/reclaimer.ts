/**
 * Runs reclaimDeadWorkers every heartbeat on a thread of its own (reclaimThread.ts): a dead
 * worker's jobs are back in the queue about STALE_MS after its last beat even while every job
 * slot here is busy with a long synchronous training step.
 */
import type { WorkerSettings } from './settings';
import { startTsThread } from './tsThread';

const STOP_GRACE_MS = 5000;

export interface ReclaimerData {
  databaseUrl: string;
  workerId: string;
  settings: WorkerSettings;
}

export type ReclaimerMessage = { ready: true } | { reclaimed: string[] } | { log: string };

export interface Reclaimer {
  stop(): Promise<void>;
}

/** Resolves once the thread has loaded; its first pass runs straight away. */
export function startReclaimer(data: ReclaimerData, log: (message: string) => void): Promise<Reclaimer> {
  const thread = startTsThread(new URL('./reclaimThread.ts', import.meta.url), data);
  thread.unref(); // never keeps a finished process alive
  const exited = new Promise<void>((done) => thread.once('exit', () => done()));
  return new Promise((resolve, reject) => {
    let ready = false;
    thread.on('error', (error) => (ready ? log(`reclaimer thread failed: ${String(error)}`) : reject(error)));
    thread.on('message', (message: ReclaimerMessage) => {
      if ('log' in message) log(message.log);
      else if ('reclaimed' in message) log(`reclaimed the jobs of dead worker(s) ${message.reclaimed.join(', ')}`);
      else if (!ready) {
        ready = true;
        resolve({
          async stop() {
            thread.postMessage({ stop: true });
            // A pass stuck on an unreachable database must not hold up the shutdown.
            const stuck = setTimeout(() => void thread.terminate(), STOP_GRACE_MS);
            await exited;
            clearTimeout(stuck);
          },
        });
      }
    });
  });
}
