'use client';
/**
 * One sweep, live: header and actions, whose evaluator's scores to show, job progress, the
 * trade-off chart, metrics against scale, samples side by side, every sample of a run, and the
 * results table. Live updates come from the progress subscription (useLiveSweep); every selection
 * (axes, point, class, seed, compared series, zoom, sort) lives in the URL.
 */
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useMemo, useState } from 'react';
import { ApiError, apiHref } from '../../lib/api';
import { formatDate } from '../../lib/format';
import { isActive } from '../../lib/liveSweep';
import { METRICS } from '../../lib/metrics';
import type { SortDir } from '../../lib/sort';
import { curvesFromApi } from '../../lib/tradeoff';
import type { TradeoffSeriesApi } from '../../lib/types';
import { choiceParam, intParam } from '../../lib/urlState';
import { ApiErrorNotice } from '../ApiErrorNotice';
import { useApi } from '../ApiProvider';
import { Duration } from '../Duration';
import { ProgressBar, StatusBadge } from '../Status';
import { SweepActions } from '../SweepActions';
import { useUrlState } from '../useUrlState';
import { EvaluatorControls } from './EvaluatorControls';
import { EvaluatorVerdict, sweepVerdict } from './EvaluatorVerdict';
import { ExtendForm } from './ExtendForm';
import { Failures } from './Failures';
import { JobsSection } from './JobsSection';
import { MetricMultiples } from './MetricMultiples';
import { ParallelView } from './ParallelView';
import { PointsTable } from './PointsTable';
import { ResultsTable, SORT_KEYS } from './ResultsTable';
import { SampleBrowser, type BrowseSelection } from './SampleBrowser';
import { SamplesSection, type SampleSelection } from './SamplesSection';
import { TradeoffSection } from './TradeoffSection';
import { useLiveSweep } from './useLiveSweep';

const METRIC_KEYS = METRICS.map((m) => m.key);

export function SweepPage({ id, initialTradeoff = null }: { id: string; initialTradeoff?: TradeoffSeriesApi[] | null }) {
  const { params, set: go } = useUrlState();
  const router = useRouter();
  const { config } = useApi();
  const evaluator = params.get('ev');
  const { sweep, tradeoff, error, refresh } = useLiveSweep(id, evaluator, initialTradeoff);
  const notFound = error instanceof ApiError && error.errors.some((e) => e.code === 'NOT_FOUND');
  const curves = useMemo(() => (tradeoff ? curvesFromApi(tradeoff) : []), [tradeoff]);
  const floor = useMemo(() => (sweep ? sweepVerdict(sweep.runs).floor : null), [sweep]);
  // Runs inside the parallel-coordinates brush (null: no brush).
  const [brushed, setBrushed] = useState<Set<string> | null>(null);

  const x = choiceParam(params, 'x', METRIC_KEYS, 'is');
  const y = choiceParam(params, 'y', METRIC_KEYS, 'fid');
  const point = params.get('point');
  const sort = choiceParam(params, 'sort', SORT_KEYS, 'guidance');
  const dir = choiceParam(params, 'dir', ['asc', 'desc'] as const, 'asc');
  const samples: SampleSelection = {
    cls: intParam(params, 'cls', 0),
    seed: intParam(params, 'seed', 0),
    a: params.get('a'),
    b: params.get('b'),
    shown: intParam(params, 'shown', 4),
    zoom: params.get('zoom'),
  };
  const browse: BrowseSelection = { run: params.get('brun'), cls: intParam(params, 'bcls', -1), page: intParam(params, 'bpage', 0) };

  if (notFound) {
    return (
      <div role="alert" className="notice notice-error">
        There is no sweep with id <code>{id}</code> (it may have been deleted). <Link href="/">Back to the sweeps</Link>
      </div>
    );
  }
  if (!sweep) {
    // The trade-off arrives first and is drawn while the rest of the sweep loads.
    return (
      <>
        <h1>Sweep</h1>
        <ApiErrorNotice error={error} retrying />
        {!error ? (
          <p className="muted" role="status">
            Loading…
          </p>
        ) : null}
        {tradeoff ? <TradeoffSection curves={curves} x={x} y={y} selected={point} floor={null} onAxes={(nx, ny) => go({ x: nx, y: ny })} onSelect={(runId) => go({ point: runId })} /> : null}
      </>
    );
  }

  const spec = sweep.spec;
  return (
    <>
      <div className="sweep-header">
        <h1>{sweep.name}</h1>
        <StatusBadge status={sweep.status} />
        <ProgressBar value={sweep.progress} label="Progress of the sweep" />
        <SweepActions sweep={sweep} onChange={refresh} onDeleted={() => router.push('/')} />
      </div>
      <div className="facts">
        <span>preset: {sweep.preset ?? 'none'}</span>
        <span>created {formatDate(sweep.createdAt)}</span>
        <span>
          duration <Duration start={sweep.startedAt} end={sweep.finishedAt} ticking={isActive(sweep.status)} />
        </span>
        <span>
          runs: {sweep.counts.succeeded} done, {sweep.counts.running} running, {sweep.counts.queued} waiting
          {sweep.counts.failed ? `, ${sweep.counts.failed} failed` : ''}
          {sweep.counts.cancelled ? `, ${sweep.counts.cancelled} cancelled` : ''}
        </span>
        <span>dataset: {spec.dataset.kind}</span>
        <span>
          sampler: {spec.sampler.kind}, {spec.sampler.steps} steps{spec.sampler.kind === 'ddim' ? `, η = ${spec.sampler.eta}` : ''}
        </span>
        <span>{spec.samplesPerClass} samples per class</span>
        <a href={apiHref(config, sweep.resultsCsvUrl)}>results.csv</a>
        <a href={apiHref(config, sweep.resultsJsonUrl)}>results.json</a>
      </div>
      <EvaluatorControls sweep={sweep} evaluator={evaluator} onEvaluator={(ev) => go({ ev })} onRescored={refresh} />
      <EvaluatorVerdict runs={sweep.runs} />
      {sweep.error ? <div className="notice notice-error">{sweep.error}</div> : null}
      <Failures sweep={sweep} />
      <ExtendForm sweep={sweep} onExtended={refresh} />
      {spec.description ? <p className="muted">{spec.description}</p> : null}
      <ApiErrorNotice error={error} retrying />
      <nav aria-label="Sections" className="actions">
        <a href="#tradeoff-title">Trade-off</a>
        <a href="#multiples-title">Metrics vs scale</a>
        <a href="#samples-title">Samples</a>
        <a href="#browse-title">Every sample</a>
        <a href="#points-title">Points</a>
        <a href="#parallel-title">Parallel coordinates</a>
        <a href="#results-title">Results</a>
        <a href="#jobs-title">Jobs</a>
      </nav>
      <TradeoffSection curves={curves} x={x} y={y} selected={point} highlight={brushed} floor={floor} onAxes={(nx, ny) => go({ x: nx, y: ny })} onSelect={(runId) => go({ point: runId })} />
      <MetricMultiples curves={curves} selected={point} highlight={brushed} floor={floor} onSelect={(runId) => go({ point: runId })} />
      <SamplesSection runs={sweep.runs} sel={samples} onChange={go} />
      <SampleBrowser
        runs={sweep.runs}
        evaluator={evaluator}
        sel={browse}
        onChange={(c) =>
          // Only the keys that change: an absent key in go() would clear it.
          go({ ...(c.run !== undefined && { brun: c.run }), ...(c.cls !== undefined && { bcls: c.cls < 0 ? null : c.cls }), ...(c.page !== undefined && { bpage: c.page || null }) })
        }
      />
      <PointsTable curves={curves} selected={point} onSelect={(runId) => go({ point: runId })} />
      <ParallelView runs={sweep.runs} brushed={brushed} onBrush={setBrushed} />
      <ResultsTable
        runs={brushed ? sweep.runs.filter((r) => brushed.has(r.id)) : sweep.runs}
        sort={sort}
        dir={dir as SortDir}
        selected={point}
        csvUrl={sweep.resultsCsvUrl}
        jsonUrl={sweep.resultsJsonUrl}
        onSort={(key, d) => go({ sort: key, dir: d })}
        onSelect={(runId) => go({ point: runId })}
      />
      <JobsSection models={sweep.models} runs={sweep.runs} />
    </>
  );
}
