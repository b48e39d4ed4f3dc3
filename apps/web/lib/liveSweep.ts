/**
 * How a progress event (the sweepProgress subscription) changes the sweep the page holds: which
 * runs need their full record fetched, and the sweep with the event's state merged in.
 */
import type { JobStatus, Model, Run, SweepDetail, SweepSummary } from './types';

export const isActive = (s: JobStatus) => s === 'queued' || s === 'running';

/** A run as the progress stream sends it. */
export type RunState = Pick<Run, 'id' | 'status' | 'attempts' | 'job' | 'error' | 'phase' | 'progress'>;
export type Progress = SweepSummary & { runs: RunState[]; models: Model[] };

/** Runs that need their full record: new ones, and those that ended since the last state. */
export function runsToFetch(known: readonly Pick<Run, 'id' | 'status'>[], now: readonly RunState[]): string[] {
  const before = new Map(known.map((r) => [r.id, r.status]));
  return now.filter((r) => !before.has(r.id) || (before.get(r.id) !== r.status && !isActive(r.status))).map((r) => r.id);
}

/**
 * The sweep after a progress event: its summary and models as sent, each run's live fields merged
 * (full records where fetched), in the server's order; a run not yet fetched waits for its record.
 */
export function mergeProgress(sweep: SweepDetail, state: Progress, fetched: Map<string, Run>, rest: Partial<SweepDetail>): SweepDetail {
  const { runs: liveRuns, models, ...summary } = state;
  const byId = new Map(sweep.runs.map((r) => [r.id, r]));
  const runs = liveRuns.flatMap((live) => {
    const full = fetched.get(live.id) ?? byId.get(live.id);
    return full ? [{ ...full, ...live }] : [];
  });
  return { ...sweep, ...summary, models, runs, ...rest };
}
