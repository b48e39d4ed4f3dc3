'use client';
/**
 * Runs a GraphQL query now and then every `interval` ms (null: once), keeping the last good data
 * when a poll fails so the page stays readable while the API is down. `interval` may be a function
 * of the last good data (e.g. often while something runs): it is asked after each poll, so a change
 * of pace does not send the query again at once.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { gql } from '../lib/api';
import { useApi } from './ApiProvider';

export interface Polled<T> {
  data: T | null;
  error: Error | null;
  refresh(): void;
}

export type PollInterval<T> = number | null | ((data: T | null) => number | null);

export function usePoll<T>(query: string, variables: Record<string, unknown>, interval: PollInterval<T>): Polled<T> {
  const { config, ready } = useApi();
  const [state, setState] = useState<{ data: T | null; error: Error | null }>({ data: null, error: null });
  const [tick, setTick] = useState(0);
  const vars = JSON.stringify(variables);
  const pace = useRef(interval);
  pace.current = interval;
  const last = useRef<T | null>(null);

  useEffect(() => {
    if (!ready) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const data = await gql<T>(config, query, JSON.parse(vars), controller.signal);
        if (!controller.signal.aborted) {
          last.current = data;
          setState({ data, error: null });
        }
      } catch (error) {
        if (controller.signal.aborted) return;
        setState((s) => ({ data: s.data, error: error as Error }));
      }
      if (controller.signal.aborted) return;
      const ms = typeof pace.current === 'function' ? pace.current(last.current) : pace.current;
      if (ms !== null) timer = setTimeout(poll, ms);
    };
    void poll();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [config, ready, query, vars, tick]);

  const refresh = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, refresh };
}
