'use client';
/** Every sweep, newest first, with its state, progress and actions; filter and page are in the URL. Tick sweeps to compare them. */
import Link from 'next/link';
import { useState } from 'react';
import { formatDate } from '../lib/format';
import { isActive } from '../lib/liveSweep';
import { MAX_COMPARED, SWEEPS } from '../lib/queries';
import type { JobStatus, SweepSummary, Worker } from '../lib/types';
import { choiceParam } from '../lib/urlState';
import { ApiErrorNotice } from './ApiErrorNotice';
import { Duration } from './Duration';
import { Select } from './Select';
import { ProgressBar, StatusBadge } from './Status';
import { SweepActions } from './SweepActions';
import { usePoll } from './usePoll';
import { useUrlState } from './useUrlState';

const LIVE_MS = 2000;
const IDLE_MS = 15000;
const STATUSES = ['all', 'queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;

interface SweepsData {
  sweeps: { nodes: SweepSummary[]; pageInfo: { hasNextPage: boolean; endCursor: string | null }; totalCount: number };
  workers: Worker[];
}

const anyActive = (d: SweepsData) => d.sweeps.nodes.some((s) => isActive(s.status));

export function SweepList() {
  const { params, set: go } = useUrlState();
  const status = choiceParam(params, 'status', STATUSES, 'all');
  const after = params.get('after');
  // Often while a sweep is under way (or the list has not loaded), seldom otherwise (a sweep launched elsewhere still shows up).
  const { data, error, refresh } = usePoll<SweepsData>(SWEEPS, { first: 20, after, status: status === 'all' ? null : (status as JobStatus) }, (d) =>
    !d || anyActive(d) ? LIVE_MS : IDLE_MS,
  );
  const [compared, setCompared] = useState<string[]>([]);
  const toggleCompared = (id: string) => setCompared((ids) => (ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id].slice(-MAX_COMPARED)));

  const alive = data?.workers.filter((w) => w.alive) ?? [];
  return (
    <>
      <div className="sweep-header">
        <h1>Sweeps</h1>
        <Link className="button" href="/launch">
          Launch a sweep
        </Link>
        <Select id="status-filter" label="Status" value={status} onChange={(v) => go({ status: v === 'all' ? null : v, after: null })}>
          {STATUSES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </Select>
      </div>
      <ApiErrorNotice error={error} retrying />
      {!data && !error ? (
        <p className="muted" role="status">
          Loading sweeps…
        </p>
      ) : null}
      {data ? (
        <p className="muted">
          {alive.length === 0 ? (
            <>No live worker: launched sweeps wait until one starts (<code>npm run worker</code>, or <code>npm start</code>).</>
          ) : (
            <>
              {alive.length} live worker{alive.length > 1 ? 's' : ''}:{' '}
              {alive.map((w) => `${w.host} (${w.backend}${w.currentJob ? `, on ${w.currentJob}` : ', idle'})`).join('; ')}
            </>
          )}
        </p>
      ) : null}
      {data && data.sweeps.nodes.length === 0 ? (
        <p className="notice notice-info">
          No sweeps{status !== 'all' ? ` with status ${status}` : ''} yet. <Link href="/launch">Launch one</Link> from a preset or your own grid.
        </p>
      ) : null}
      {data && data.sweeps.nodes.length > 0 ? (
        <div className="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Compare</th>
                <th scope="col">Sweep</th>
                <th scope="col">Status</th>
                <th scope="col">Progress</th>
                <th scope="col">Preset</th>
                <th scope="col">Created</th>
                <th scope="col" className="num">
                  Duration
                </th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {data.sweeps.nodes.map((s) => (
                <tr key={s.id}>
                  <td>
                    <input type="checkbox" checked={compared.includes(s.id)} onChange={() => toggleCompared(s.id)} aria-label={`Compare ${s.name}`} />
                  </td>
                  <td>
                    <Link href={`/sweeps/${s.id}`}>{s.name}</Link>
                    {s.error ? <div className="error-text">{s.error}</div> : null}
                  </td>
                  <td>
                    <StatusBadge status={s.status} />
                  </td>
                  <td>
                    <ProgressBar value={s.progress} label={`Progress of ${s.name}`} />{' '}
                    <span className="muted">
                      {s.counts.succeeded}/{s.counts.total} runs{s.counts.failed ? `, ${s.counts.failed} failed` : ''}
                    </span>
                  </td>
                  <td>{s.preset ?? '–'}</td>
                  <td>{formatDate(s.createdAt)}</td>
                  <td className="num">
                    <Duration start={s.startedAt} end={s.finishedAt} ticking={isActive(s.status)} />
                  </td>
                  <td>
                    <SweepActions sweep={s} onChange={refresh} onDeleted={refresh} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {data ? (
        <p className="actions">
          <span className="muted">
            {data.sweeps.totalCount} sweep{data.sweeps.totalCount === 1 ? '' : 's'}
          </span>
          {compared.length >= 2 ? (
            <Link className="button" href={`/compare?ids=${compared.join(',')}`}>
              Compare selected ({compared.length})
            </Link>
          ) : (
            <span className="muted">Tick two or more sweeps to compare them (up to {MAX_COMPARED}).</span>
          )}
          {after ? (
            <button type="button" onClick={() => go({ after: null })}>
              Newest
            </button>
          ) : null}
          {data.sweeps.pageInfo.hasNextPage ? (
            <button type="button" onClick={() => go({ after: data.sweeps.pageInfo.endCursor })}>
              Older sweeps
            </button>
          ) : null}
        </p>
      ) : null}
    </>
  );
}
