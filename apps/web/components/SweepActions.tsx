'use client';
/** Cancel, resume (a cancelled sweep), retry-failed and delete for one sweep, on the list and on the sweep's page. */
import { CANCEL_SWEEP, DELETE_SWEEP, RESUME_SWEEP, RETRY_FAILED } from '../lib/queries';
import type { SweepSummary } from '../lib/types';
import { ApiErrorNotice } from './ApiErrorNotice';
import { useMutation } from './useMutation';

export function SweepActions({ sweep, onChange, onDeleted }: { sweep: SweepSummary; onChange(): void; onDeleted(): void }) {
  const { busy, error, run } = useMutation();
  const active = sweep.status === 'queued' || sweep.status === 'running';
  const act = (query: string, after: () => void) => run(query, { id: sweep.id }, after);

  return (
    <span className="actions">
      <button type="button" disabled={busy || !active} onClick={() => act(CANCEL_SWEEP, onChange)} aria-label={`Cancel sweep ${sweep.name}`}>
        Cancel
      </button>
      {sweep.status === 'cancelled' ? (
        <button type="button" disabled={busy} onClick={() => act(RESUME_SWEEP, onChange)} aria-label={`Resume sweep ${sweep.name}`}>
          Resume
        </button>
      ) : null}
      <button type="button" disabled={busy || sweep.counts.failed === 0} onClick={() => act(RETRY_FAILED, onChange)} aria-label={`Retry the failed runs of sweep ${sweep.name}`}>
        Retry failed
      </button>
      <button
        type="button"
        className="danger"
        disabled={busy}
        aria-label={`Delete sweep ${sweep.name}`}
        onClick={() => {
          if (window.confirm(`Delete sweep "${sweep.name}" and its results? Trained models are kept.`)) void act(DELETE_SWEEP, onDeleted);
        }}
      >
        Delete
      </button>
      <ApiErrorNotice error={error} />
    </span>
  );
}
