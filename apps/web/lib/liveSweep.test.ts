import { describe, expect, it } from 'vitest';
import { mergeProgress, runsToFetch, type Progress, type RunState } from './liveSweep';
import type { Run, SweepDetail } from './types';

const live = (id: string, status: RunState['status'], progress = 0): RunState => ({ id, status, attempts: 1, job: null, error: null, phase: 'sampling', progress });
const full = (id: string, status: Run['status'], fid: number | null = null) => ({ ...live(id, status), metrics: { fid } }) as unknown as Run;

describe('runsToFetch', () => {
  it('asks for new runs and runs that ended, not for progress within a phase', () => {
    const known = [full('a', 'running'), full('b', 'queued'), full('c', 'succeeded')];
    expect(runsToFetch(known, [live('a', 'running', 0.5), live('b', 'running'), live('c', 'succeeded')])).toEqual([]);
    expect(runsToFetch(known, [live('a', 'succeeded'), live('b', 'failed'), live('c', 'succeeded'), live('d', 'queued')])).toEqual(['a', 'b', 'd']);
  });
});

describe('mergeProgress', () => {
  it("takes the event's state, fetched records where there are some, and the server's run order", () => {
    const sweep = { id: 's', status: 'running', progress: 0.2, runs: [full('a', 'running'), full('b', 'queued')], models: [] } as unknown as SweepDetail;
    const state = { id: 's', status: 'running', progress: 0.6, runs: [live('b', 'running', 0.3), live('a', 'succeeded', 1), live('n', 'queued')], models: [] } as unknown as Progress;
    const merged = mergeProgress(sweep, state, new Map([['a', full('a', 'succeeded', 12.5)]]), {});
    expect(merged.progress).toBe(0.6);
    // "n" is left out until its record is fetched.
    expect(merged.runs.map((r) => [r.id, r.status, r.progress, r.metrics.fid])).toEqual([
      ['b', 'running', 0.3, null],
      ['a', 'succeeded', 1, 12.5],
    ]);
  });
});
