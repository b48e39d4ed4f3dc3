'use client';
/**
 * Every job of the sweep that has failed or is being retried, with its error and attempts, at the
 * top of the page: a run stuck retrying must not look like a run at 0%.
 */
import { plural, retryText } from '../../lib/attempts';
import type { JobStatus, QueueJob, SweepDetail } from '../../lib/types';
import { KIND_LABEL } from './JobsSection';

interface Problem {
  key: string;
  what: string;
  status: JobStatus;
  attempts: number;
  job: QueueJob | null;
  error: string;
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
