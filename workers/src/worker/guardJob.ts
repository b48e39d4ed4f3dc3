/**
 * What both job handlers share once they hold their row: watch for cancellation, run the work, and
 * decide what an error means — a cancellation (or deletion) ends quietly, a lost claim ends silently, a shutdown
 * or a database outage requeues the job without using an attempt, an error with attempts left is recorded and rethrown for graphile to retry with
 * its exponential back-off, and the last attempt's error marks the row failed for good.
 */
import type { JobHelpers } from 'graphile-worker';
import { LostClaimError, type WorkerContext } from './types';
import { watchCancellation } from './watchCancellation';

export interface GuardedJob {
  /** "train:<model key>" or "run:<run id>": logs and the heartbeat's currentJob. */
  label: string;
  /** True when nobody wants the result any more (sweep cancelled or deleted). */
  isCancelled(): Promise<boolean>;
  work(signal: AbortSignal): Promise<void>;
  onCancelled(): Promise<void>;
  /** Puts a row that is still running back (or fails it, when `final`: no retry will follow). */
  onFailed(message: string, final: boolean): Promise<void>;
}

/** The attempts a job gets: graphile's max_attempts, capped by GUIDANCE_MAX_ATTEMPTS. */
export function attemptLimit(ctx: WorkerContext, maxAttempts: number): number {
  return Math.min(maxAttempts, ctx.settings.maxAttempts);
}

/** A fresh job under the same key; graphile detaches the key from this locked one. */
async function requeue(helpers: JobHelpers): Promise<void> {
  const { task_identifier, payload, key, max_attempts, priority } = helpers.job;
  await helpers.addJob(task_identifier, payload, { jobKey: key ?? undefined, jobKeyMode: 'replace', maxAttempts: max_attempts, priority });
}

const RETRY_EVERY_MS = 1000;
/** How long a job waits for the database before giving up to graphile (whose own writes then fail, restarting the runner). */
const WAIT_FOR_DATABASE_MS = 10 * 60_000;

/** Retries `write` every second until it succeeds; rethrows its last error after WAIT_FOR_DATABASE_MS or a shutdown. */
async function untilDone(write: () => Promise<void>, shutdown: AbortSignal): Promise<void> {
  for (const until = Date.now() + WAIT_FOR_DATABASE_MS; ; ) {
    try {
      return await write();
    } catch (error) {
      if (Date.now() > until || shutdown.aborted) throw error;
      await new Promise((resolve) => setTimeout(resolve, RETRY_EVERY_MS));
    }
  }
}

export async function guardJob(ctx: WorkerContext, helpers: JobHelpers, job: GuardedJob): Promise<void> {
  const watch = watchCancellation(() => job.isCancelled(), ctx.settings.cancelPollMs, ctx.log);
  ctx.setJobActive(job.label, true);
  try {
    await job.work(AbortSignal.any([watch.signal, helpers.abortSignal]));
  } catch (error) {
    // Also when the poll has not seen it yet: a sweep deleted mid-job makes the job's last writes
    // fail (its rows are gone), which is the end of unwanted work, not an error to retry.
    if (watch.signal.aborted || (await job.isCancelled().catch(() => false))) {
      await job.onCancelled();
      ctx.log(`${job.label}: cancelled`);
      return;
    }
    if (error instanceof LostClaimError) {
      ctx.log(error.message);
      return;
    }
    if (helpers.abortSignal.aborted) {
      // A shutdown is not the job's fault and must not use up an attempt.
      await job.onFailed('the worker stopped; the job is queued again', false);
      await requeue(helpers);
      ctx.log(`${job.label}: interrupted by shutdown, queued again`);
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    const final = helpers.job.attempts >= attemptLimit(ctx, helpers.job.max_attempts);
    try {
      await job.onFailed(message, final);
    } catch {
      // The database is away (killed, restarting): not the job's fault either. The row still says
      // "running" under our id, and a retry finding it so would skip it for good; so wait until the
      // row is put back, then queue the job again without using an attempt.
      ctx.log(`${job.label}: failed while the database was unreachable (${message}); waiting for it to put the job back`);
      await untilDone(() => job.onFailed(`interrupted while the database was unreachable: ${message}`, false), helpers.abortSignal);
      await untilDone(() => requeue(helpers), helpers.abortSignal);
      ctx.log(`${job.label}: queued again after the database came back`);
      return;
    }
    ctx.log(`${job.label}: attempt ${helpers.job.attempts} failed${final ? ' (no attempts left)' : ', will retry'}: ${message}`);
    if (!final) throw error;
  } finally {
    watch.stop();
    ctx.setJobActive(job.label, false);
  }
}
