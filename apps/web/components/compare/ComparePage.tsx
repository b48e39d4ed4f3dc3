'use client';
/**
 * Several sweeps on one page (/compare?ids=a,b): their curves on one trade-off chart and in the
 * small multiples, the legend naming sweep × method × p_uncond, and samples side by side across
 * sweeps for the same class and seed. Refreshes while any of them is still working; every
 * selection lives in the URL like the sweep page's.
 */
import Link from 'next/link';
import { useMemo } from 'react';
import { isActive } from '../../lib/liveSweep';
import { METRICS } from '../../lib/metrics';
import { compareQuery, compareVariables, MAX_COMPARED } from '../../lib/queries';
import { compareSampleRows, sampleChoice } from '../../lib/samples';
import { curvesFromApi } from '../../lib/tradeoff';
import type { JobStatus, Run, TradeoffSeriesApi } from '../../lib/types';
import { choiceParam, intParam } from '../../lib/urlState';
import { ApiErrorNotice } from '../ApiErrorNotice';
import { StatusBadge } from '../Status';
import { usePoll } from '../usePoll';
import { useUrlState } from '../useUrlState';
import { MetricMultiples } from '../sweep/MetricMultiples';
import { SampleControls } from '../sweep/SampleControls';
import { SampleTable } from '../sweep/SampleTable';
import { TradeoffSection } from '../sweep/TradeoffSection';

const METRIC_KEYS = METRICS.map((m) => m.key);
const SHOWN = [1, 2, 4, 8, 16];
const LIVE_MS = 5000;

interface ComparedSweep {
  id: string;
  name: string;
  status: JobStatus;
  runs: Run[];
}

export function ComparePage() {
  const { params, set: go } = useUrlState();
  const ids = [...new Set((params.get('ids') ?? '').split(',').filter(Boolean))].slice(0, MAX_COMPARED);
  // Fewer than two sweeps: nothing to compare, so only a no-op query goes out.
  const query = ids.length >= 2 ? compareQuery(ids.length) : '{ __typename }';
  const comparedSweeps = (d: Record<string, unknown> | null) => (d && ids.length >= 2 ? ids.map((_, i) => d[`s${i}`] as ComparedSweep) : []);
  // Polled only while some compared sweep is working; a finished comparison is read once.
  const { data, error } = usePoll<Record<string, unknown>>(query, ids.length >= 2 ? compareVariables(ids) : {}, (d) =>
    comparedSweeps(d).some((s) => isActive(s.status)) ? LIVE_MS : null,
  );
  const sweeps = comparedSweeps(data);
  const curves = useMemo(() => (data ? curvesFromApi(data.tradeoff as TradeoffSeriesApi[]) : []), [data]);

  const x = choiceParam(params, 'x', METRIC_KEYS, 'is');
  const y = choiceParam(params, 'y', METRIC_KEYS, 'fid');
  const point = params.get('point');
  const { seeds, seed, classNames, cls } = sampleChoice(
    sweeps.flatMap((s) => s.runs),
    intParam(params, 'seed', 0),
    intParam(params, 'cls', 0),
  );
  const shown = intParam(params, 'shown', 4);

  if (ids.length < 2) {
    return (
      <>
        <h1>Compare sweeps</h1>
        <p className="notice notice-info">
          Pick two or more sweeps with the “Compare” boxes on <Link href="/">the sweeps list</Link>, then “Compare selected”.
        </p>
      </>
    );
  }
  if (!data) {
    return (
      <>
        <h1>Compare sweeps</h1>
        <ApiErrorNotice error={error} retrying={false} />
        {!error ? <p className="muted">Loading…</p> : null}
      </>
    );
  }
  const { scales, rows } = compareSampleRows(sweeps, seed);
  return (
    <>
      <h1>Compare {sweeps.length} sweeps</h1>
      <ul className="facts" aria-label="Compared sweeps">
        {sweeps.map((s) => (
          <li key={s.id}>
            <Link href={`/sweeps/${s.id}`}>{s.name}</Link> <StatusBadge status={s.status} /> <span className="muted">{s.runs.length} runs</span>
          </li>
        ))}
      </ul>
      <ApiErrorNotice error={error} retrying />
      <TradeoffSection curves={curves} x={x} y={y} selected={point} floor={null} onAxes={(nx, ny) => go({ x: nx, y: ny })} onSelect={(runId) => go({ point: runId })} />
      <MetricMultiples curves={curves} selected={point} floor={null} onSelect={(runId) => go({ point: runId })} />
      <section aria-labelledby="compare-samples-title">
        <h2 id="compare-samples-title">Samples across sweeps</h2>
        <SampleControls prefix="compare" classNames={classNames} cls={cls} seeds={seeds} seed={seed} shown={shown} shownOptions={SHOWN} onChange={go} />
        <SampleTable scales={scales} rows={rows} cls={cls} className={classNames[cls] ?? `class ${cls}`} shown={shown} />
      </section>
    </>
  );
}
