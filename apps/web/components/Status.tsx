/** A job's state as a labelled badge, and a progress bar with its percentage as text. */
import { formatPercent } from '../lib/format';
import type { JobStatus } from '../lib/types';

export function StatusBadge({ status }: { status: JobStatus }) {
  return <span className={`badge badge-${status}`}>{status}</span>;
}

export function ProgressBar({ value, label }: { value: number; label: string }) {
  return (
    <span className="progress">
      <progress max={1} value={Math.min(1, Math.max(0, value))} aria-label={label} />
      <span className="progress-text">{formatPercent(value)}</span>
    </span>
  );
}
