/**
 * The Worker row: registered at start and refreshed every second so others can tell we are
 * alive; our graphile job locks are renewed with it. The beat runs on its own thread: a long
 * synchronous training step blocks our event loop, and a worker that is busy is not dead. Times are the database's (UTC), so machines with skewed
 * clocks still agree on staleness (see reclaimDeadWorkers).
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface WorkerIdentity {
  id: string;
  host: string;
  pid: number;
  backend: string;
}

/** An upsert: if a peer ever reclaimed us, the row comes back and the dashboard shows us again. */
const BEAT_SQL = `
  INSERT INTO "Worker" (id, host, pid, backend, "startedAt", "lastHeartbeat", "currentJob")
  VALUES ($1, $2, $3, $4, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC', $5)
  ON CONFLICT (id) DO UPDATE SET "lastHeartbeat" = now() AT TIME ZONE 'UTC', "currentJob" = $5`;

/**
 * graphile-worker 0.17 unlocks any job locked for over 4 hours (its resetLockedAt, run by every
 * worker every 8–10 minutes) and hands it out again (graphile-worker issue #169): a long training
 * would then run twice. The locks of the jobs running here are renewed with every beat, so only a
 * dead worker's grow old — and a lock we kept for a job that has ended (see releaseOrphanedJobs).
 */
const RENEW_LOCKS_SQL = `UPDATE graphile_worker._private_jobs SET locked_at = now() WHERE locked_by = $1 AND id = ANY($2::bigint[])`;

// Plain JavaScript (a thread does not share the main thread's TypeScript loader).
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const { Client } = require(workerData.pg);
const { identity, everyMs, sql, renewSql, databaseUrl } = workerData;
let currentJob = null;
let running = [];
let client = null;
let beating = false;
const beat = async () => {
  if (beating) return; // a beat slower than the period (a starved machine): one at a time on the one connection
  beating = true;
  try {
    if (!client) {
      client = new Client({ connectionString: databaseUrl });
      client.on('error', () => { client = null; });
      await client.connect();
    }
    await client.query(sql, [identity.id, identity.host, identity.pid, identity.backend, currentJob]);
    if (running.length) await client.query(renewSql, [identity.id, running]);
    parentPort.postMessage({ ok: true });
  } catch (error) {
    client?.end().catch(() => {});
    client = null;
    parentPort.postMessage({ error: String(error) });
  } finally {
    beating = false;
  }
};
const timer = setInterval(beat, everyMs);
parentPort.on('message', async (message) => {
  if (message.stop) {
    clearInterval(timer);
    await client?.end().catch(() => {});
    process.exit(0);
  }
  if ('running' in message) running = message.running;
  else currentJob = message.currentJob;
});
beat();
`;

export interface Heartbeat {
  /** Sets the job shown on our row from the next beat on. */
  setCurrentJob(job: string | null): void;
  /** The graphile job ids running here: the locks each beat renews. */
  setRunningJobs(ids: string[]): void;
  /** Stops beating (the caller removes the row). */
  stop(): Promise<void>;
}

/** Resolves after the first beat has registered the row. */
export function startHeartbeat(databaseUrl: string, identity: WorkerIdentity, everyMs: number, log: (message: string) => void): Promise<Heartbeat> {
  const pg = createRequire(import.meta.url).resolve('pg');
  const thread = new Worker(THREAD, { eval: true, workerData: { pg, identity, everyMs, sql: BEAT_SQL, renewSql: RENEW_LOCKS_SQL, databaseUrl } });
  thread.unref(); // the thread never keeps a finished process alive
  return new Promise((resolve, reject) => {
    let registered = false;
    thread.on('error', (error) => (registered ? log(`heartbeat thread failed: ${String(error)}`) : reject(error)));
    thread.on('message', (message: { ok?: true; error?: string }) => {
      if (message.error) {
        if (registered) log(`heartbeat failed: ${message.error}`);
        else {
          void thread.terminate();
          reject(new Error(`could not register the worker: ${message.error}`));
        }
      } else if (!registered) {
        registered = true;
        resolve({
          setCurrentJob: (currentJob) => thread.postMessage({ currentJob }),
          setRunningJobs: (running) => thread.postMessage({ running }),
          async stop() {
            const exited = new Promise((done) => thread.once('exit', done));
            thread.postMessage({ stop: true });
            await exited;
          },
        });
      }
    });
  });
}
