'use client';
/**
 * Every job of the sweep that has failed or is being retried, with its error and attempts, at the
 * top of the page: a run stuck retrying must not look like a run at 0%.
 */
import type { QueueJob, SweepDetail } from '../../lib/types';
import { KIND_LABEL } from './JobsSection';

interface Problem {
  key: string;
  what: string;
  status: string;
  attempts: number;
  job: QueueJob | null;
  error: string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "attempt 2 of 3 failed; 1 attempt left, waiting to be retried", from the queue's job when it has one. */
function retryText(p: Problem): string {
  const next = p.status === 'running' ? 'retrying now' : 'waiting to be retried';
  if (!p.job) return `attempt ${p.attempts} failed; ${next}`;
  // The queue counts an attempt when it starts, so a running retry is the last failure plus one.
  const failed = p.status === 'running' ? p.job.attempts - 1 : p.job.attempts;
  return `attempt ${failed} of ${p.job.maxAttempts} failed; ${plural(p.job.maxAttempts - failed, 'attempt')} left, ${next}`;
}

export function Failures({ sweep }: { sweep: SweepDetail }) {
  const problems: Problem[] = [
    ...sweep.models
      .filter((m) => m.error && m.status !== 'succeeded')
      .map((m) => ({ key: m.id, what: `Training the ${KIND_LABEL[m.kind]} ${m.key.slice(0, 8)}`, status: m.status, attempts: m.attempts, job: m.job, error: m.error! })),
    ...sweep.runs
      .filter((r) => r.error && r.status !== 'succeeded')
      .map((r) => ({ key: r.id, what: `Run ${r.methodLabel}, p_uncond ${r.pUncond}, s = ${r.scale}, seed ${r.seed}`, status: r.status, attempts: r.attempts, job: r.job, error: r.error! })),
  ];
  if (!problems.length) return null;
  const failed = problems.filter((p) => p.status === 'failed').length;
  const retrying = problems.length - failed;
  return (
    <section role="alert" className="notice notice-error" aria-labelledby="failures-title" data-testid="failures">
      <h2 id="failures-title">
        {[failed ? `${plural(failed, 'job')} failed` : '', retrying ? `${plural(retrying, 'job')} being retried` : ''].filter(Boolean).join(', ')}
      </h2>
      <ul>
        {problems.map((p) => (
          <li key={p.key}>
            <strong>{p.what}</strong>:{' '}
            {p.status === 'failed'
              ? `failed after ${plural(p.attempts, 'attempt')}, no attempts left (Retry failed queues it again)`
              : p.status === 'cancelled'
                ? `cancelled after ${plural(p.attempts, 'attempt')}`
                : retryText(p)}
            <div className="error-text">{p.error}</div>
          </li>
        ))}
      </ul>
    </section>
  );
}
