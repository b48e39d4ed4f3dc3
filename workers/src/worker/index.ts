/**
 * The worker process: graphile-worker job slots on the shared PostgreSQL running `train_model` and
 * `sample_and_score` and `rescore_run`, a heartbeat on our Worker row and a look for dead workers' jobs, each of
 * those two on a thread of its own.
 */
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { createPrisma, TASK_RESCORE, TASK_SAMPLE, TASK_TRAIN } from '@guidance-lab/db';
import { makeWorkerUtils, run, type Runner, type WorkerEvents, type WorkerUtils } from 'graphile-worker';
import { initBackend, type BackendPreference } from '../engine/backend/index';
import { startHeartbeat, type Heartbeat } from './heartbeat';
import { releaseLeftoverJobs } from './lockedJobs';
import { quietGraphileLogger } from './quietLogger';
import { startReclaimer, type Reclaimer } from './reclaimer';
import { rescoreTask } from './rescore';
import { sampleAndScoreTask } from './sampleAndScore';
import { readSettings } from './settings';
import { trainModelTask } from './trainModel';
import type { WorkerContext } from './types';

export { readSettings, type WorkerSettings } from './settings';
export { spawnWorkerProcess } from './spawnWorkerProcess';

/** Jobs one process may run at once. */
export const MAX_CONCURRENCY = 16;

export interface StartWorkerOptions {
  databaseUrl: string;
  /** Compute backend preference; default (and GUIDANCE_BACKEND overrides): the best available. */
  backend?: BackendPreference;
  /** Jobs run at once, 1 to MAX_CONCURRENCY (default 1: one job already uses every core). */
  concurrency?: number;
  log?: (message: string) => void;
}

export interface RunningWorker {
  id: string;
  backend: string;
  /** Settles when the job runner ends: resolves after stop(), rejects if it failed on its own. */
  finished: Promise<void>;
  stop(): Promise<void>;
  /**
   * After the runner failed (the database went away): lets go of everything without touching the
   * database. Our Worker row goes stale, so a live worker reclaims the jobs we held.
   */
  abandon(): Promise<void>;
}

export async function startWorker(options: StartWorkerOptions): Promise<RunningWorker> {
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    throw new Error(`concurrency must be a whole number from 1 to ${MAX_CONCURRENCY} (got ${concurrency})`);
  }
  const settings = readSettings();
  const prisma = createPrisma(options.databaseUrl);
  const jobs = new Set<string>();
  let heartbeat: Heartbeat | undefined;
  const currentJob = () => [...jobs].join(', ') || null;
  const ctx: WorkerContext = {
    prisma,
    workerId: '',
    settings,
    setJobActive(label, active) {
      if (active) jobs.add(label);
      else jobs.delete(label);
      heartbeat?.setCurrentJob(currentJob());
    },
    log: options.log ?? ((message) => console.log(`[worker ${ctx.workerId}] ${message}`)),
  };
  const reclaimer: Reclaimer = startReclaimer({ databaseUrl: options.databaseUrl, settings }, ctx.log);
  /**
   * Lets go of what has started, for a failed start-up (the caller may try again: main.ts waits for
   * the database, so nothing is left behind) and abandon(). Errors are ignored: the database may be
   * away, and the error that brought us here is the one to report.
   */
  const letGo = async ({ utils, runner }: { utils?: WorkerUtils; runner?: Runner }) => {
    await reclaimer.stop();
    await heartbeat?.stop();
    await runner?.stop().catch(() => undefined);
    await Promise.resolve(utils?.release()).catch(() => undefined);
    await prisma.$disconnect().catch(() => undefined);
  };
  const failed = (started: Parameters<typeof letGo>[0]) => async (error: unknown): Promise<never> => {
    await letGo(started);
    throw error;
  };
  const backend = await initBackend(options.backend).catch(failed({}));
  const logger = quietGraphileLogger(ctx.log);
  const utils = await makeWorkerUtils({ connectionString: options.databaseUrl, logger }).catch(failed({}));

  // graphile locks jobs under its pool's id, so that id is our Worker row's id: whoever finds the
  // row stale can hand it straight to forceUnlockWorkers. The pool reports it as it is created.
  const events: WorkerEvents = new EventEmitter();
  events.once('pool:create', ({ workerPool }) => {
    ctx.workerId = workerPool.id;
    reclaimer.start(workerPool.id); // before any job can occupy this thread
  });
  // The jobs running here, by graphile id: their locks are renewed, any other lock of ours is orphaned.
  const running = new Set<string>();
  const shareRunning = () => {
    heartbeat?.setRunningJobs([...running]);
    reclaimer.setRunningJobs([...running]);
  };
  events.on('job:start', ({ job }) => {
    running.add(job.id);
    shareRunning();
  });
  events.on('job:complete', ({ job }) => {
    running.delete(job.id);
    shareRunning();
  });
  const runner = await run({
    connectionString: options.databaseUrl,
    concurrency,
    maxPoolSize: concurrency + 3,
    pollInterval: settings.pollIntervalMs,
    noHandleSignals: true,
    events,
    logger,
    taskList: { [TASK_TRAIN]: trainModelTask(ctx), [TASK_SAMPLE]: sampleAndScoreTask(ctx), [TASK_RESCORE]: rescoreTask(ctx) },
  }).catch(failed({ utils }));
  runner.promise.catch((error) => ctx.log(`the job runner failed: ${String(error)}`));
  const id = ctx.workerId;
  const started = failed({ utils, runner });
  if (!id) return started(new Error('graphile-worker created no worker pool'));
  heartbeat = await startHeartbeat(options.databaseUrl, { id, host: hostname(), pid: process.pid, backend }, settings.heartbeatMs, ctx.log).catch(started);
  await reclaimer.loaded.catch(started);
  // A job may have started before the row existed.
  heartbeat.setCurrentJob(currentJob());
  shareRunning();
  ctx.log(`started on backend ${backend} (concurrency ${concurrency})`);

  let stopping: Promise<void> | undefined;
  return {
    id,
    backend,
    finished: runner.promise,
    abandon: () =>
      (stopping ??= (async () => {
        await letGo({ utils }); // not the runner: it has failed, and stopping it would touch the database
        ctx.log('abandoned its job runner');
      })()),
    stop: () =>
      (stopping ??= (async () => {
        await reclaimer.stop();
        await runner.stop();
        await releaseLeftoverJobs(prisma, utils, id);
        await heartbeat?.stop();
        await prisma.worker.deleteMany({ where: { id } });
        await utils.release();
        await prisma.$disconnect();
        ctx.log('stopped');
      })()),
  };
}
