/**
 * What a job being retried says about its attempts: "attempt 2 of 3 failed; 1 attempt left, waiting
 * to be retried", from its job in the worker queue when it has one (else the row's own count).
 */
import type { JobStatus, QueueJob } from './types';

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function retryText(p: { status: JobStatus; attempts: number; job: QueueJob | null }): string {
  const next = p.status === 'running' ? 'retrying now' : 'waiting to be retried';
  if (!p.job) return `attempt ${p.attempts} failed; ${next}`;
  // The queue counts an attempt when it starts, so a running retry is the last failure plus one.
  const failed = p.status === 'running' ? p.job.attempts - 1 : p.job.attempts;
  return `attempt ${failed} of ${p.job.maxAttempts} failed; ${plural(p.job.maxAttempts - failed, 'attempt')} left, ${next}`;
}
