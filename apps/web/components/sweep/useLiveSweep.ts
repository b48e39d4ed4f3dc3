'use client';
/**
 * One sweep's data, live without polling. The trade-off (when the page's server has not fetched it)
 * is fetched beside the rest of the sweep so the chart can be drawn first; while the sweep is active the API's sweepProgress subscription
 * (graphql-ws) says what changed, and only the runs that ended (or are new) are fetched again, with
 * the trade-off their scores move. A finished sweep costs nothing: no timer, no request, no render.
 * Re-scorings are not in the progress stream: their states alone are polled while one is going on.
 */
import { createClient, type Client } from 'graphql-ws/client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { gql, type ApiConfig } from '../../lib/api';
import { RESCORES, RUNS_PER_QUERY, runsQuery, SWEEP, SWEEP_PROGRESS, TRADEOFF } from '../../lib/queries';
import { isActive, mergeProgress, runsToFetch, type Progress } from '../../lib/liveSweep';
import type { Run, SweepDetail, TradeoffSeriesApi } from '../../lib/types';
import { useApi } from '../ApiProvider';

const RETRY_MS = 5000;
const RESCORE_POLL_MS = 2000;

type Scored = Pick<SweepDetail, 'evaluators' | 'rescores'>;

export interface LiveSweep {
  sweep: SweepDetail | null;
  /** The trade-off, as soon as it is known (before the rest of the sweep on first load). */
  tradeoff: TradeoffSeriesApi[] | null;
  error: Error | null;
  /** Loads the whole sweep again and follows it if it is active (after an action on it). */
  refresh(): void;
}

function wsClient(config: ApiConfig): Client {
  return createClient({
    url: config.url.replace(/^http/, 'ws'),
    connectionParams: config.token ? { authorization: `Bearer ${config.token}` } : {},
    retryAttempts: 10,
  });
}

export function useLiveSweep(id: string, evaluator: string | null, initialTradeoff: TradeoffSeriesApi[] | null = null): LiveSweep {
  const { config, ready } = useApi();
  const [sweep, setSweep] = useState<SweepDetail | null>(null);
  const [tradeoff, setTradeoff] = useState<TradeoffSeriesApi[] | null>(initialTradeoff);
  const [error, setError] = useState<Error | null>(null);
  const [generation, setGeneration] = useState(0);
  const current = useRef<SweepDetail | null>(null);
  // The server's trade-off serves the first load only (a changed evaluator or a refresh asks again).
  const prefetched = useRef(initialTradeoff !== null);
  current.current = sweep;
  const refresh = useCallback(() => setGeneration((g) => g + 1), []);

  // The trade-off (unless the page's server sent it) and, beside it, the rest of the sweep; retried
  // while the API cannot be reached. The sweep is shown (and followed) once both are in, so a live
  // update's trade-off is never overwritten by this older one.
  useEffect(() => {
    if (!ready) return;
    const controller = new AbortController();
    let retry: ReturnType<typeof setTimeout> | undefined;
    const load = () => {
      const curves = prefetched.current
        ? null
        : gql<{ tradeoff: TradeoffSeriesApi[] }>(config, TRADEOFF, { id, evaluator }, controller.signal).then((d) => {
            if (!controller.signal.aborted) setTradeoff(d.tradeoff);
          });
      prefetched.current = false;
      Promise.all([gql<{ sweep: SweepDetail }>(config, SWEEP, { id, evaluator }, controller.signal), curves]).then(
        ([d]) => {
          if (controller.signal.aborted) return;
          setSweep(d.sweep);
          setError(null);
        },
        (e: Error) => {
          if (controller.signal.aborted) return;
          setError(e);
          if ((e as { errors?: { code: string | null }[] }).errors?.some((x) => x.code === 'NOT_FOUND')) return;
          retry = setTimeout(load, RETRY_MS);
        },
      );
    };
    load();
    return () => {
      controller.abort();
      clearTimeout(retry);
    };
  }, [config, ready, id, evaluator, generation]);

  const active = sweep !== null && isActive(sweep.status);
  // Follow an active sweep through the progress stream.
  useEffect(() => {
    if (!active) return;
    let closed = false;
    const client = wsClient(config);
    // One fetch at a time, in order, so an older answer never overwrites a newer one.
    let chain = Promise.resolve();
    const fetchRuns = (ids: string[], state: Progress) => {
      chain = chain.then(async () => {
        const fetched = new Map<string, Run>();
        let latest: { tradeoff: TradeoffSeriesApi[]; sweep: Scored } | null = null;
        for (let i = 0; i < ids.length; i += RUNS_PER_QUERY) {
          const batch = ids.slice(i, i + RUNS_PER_QUERY);
          // The trade-off and evaluators once, with the last batch, when every record is in.
          const last = i + RUNS_PER_QUERY >= ids.length;
          const vars = { evaluator, ...(last && { id }), ...Object.fromEntries(batch.map((runId, k) => [`r${k}`, runId])) };
          const d = await gql<Record<string, Run> & { tradeoff: TradeoffSeriesApi[]; sweep: Scored }>(config, runsQuery(batch.length, last), vars);
          batch.forEach((runId, k) => fetched.set(runId, d[`r${k}`]));
          if (last) latest = d;
        }
        if (closed || !latest) return;
        const { tradeoff: curves, sweep: scored } = latest;
        setTradeoff(curves);
        setSweep((s) => s && mergeProgress(s, state, fetched, scored));
      });
      chain = chain.catch((e: Error) => {
        if (!closed) setError(e);
      });
    };
    const unsubscribe = client.subscribe<{ sweepProgress: Progress }>(
      { query: SWEEP_PROGRESS, variables: { id } },
      {
        next: ({ data, errors }) => {
          if (errors?.length) return setError(new Error(errors.map((e) => e.message).join('; ')));
          const state = data?.sweepProgress;
          const known = current.current;
          if (!state || !known) return;
          setError(null);
          const ids = runsToFetch(known.runs, state.runs);
          if (ids.length) fetchRuns(ids, state);
          else setSweep((s) => s && mergeProgress(s, state, new Map(), {}));
        },
        error: (e) => !closed && setError(e instanceof Error ? e : new Error('the live progress connection to the API closed')),
        complete: () => undefined,
      },
    );
    return () => {
      closed = true;
      unsubscribe();
      void client.dispose();
    };
  }, [active, config, id, evaluator]);

  // Re-scoring: only its states are polled, and the sweep reloaded once it is over.
  const rescoring = !!sweep?.rescores.some((r) => isActive(r.status));
  useEffect(() => {
    if (!rescoring) return;
    const controller = new AbortController();
    const timer = setInterval(() => {
      gql<{ sweep: Scored }>(config, RESCORES, { id }, controller.signal).then(
        (d) => {
          if (controller.signal.aborted) return;
          if (d.sweep.rescores.some((r) => isActive(r.status))) setSweep((s) => s && { ...s, ...d.sweep });
          else refresh();
        },
        () => undefined,
      );
    }, RESCORE_POLL_MS);
    return () => {
      controller.abort();
      clearInterval(timer);
    };
  }, [rescoring, config, id, refresh]);

  return { sweep, tradeoff, error, refresh };
}
