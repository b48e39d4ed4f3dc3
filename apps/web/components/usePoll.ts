'use client';
/**
 * Runs a GraphQL query now and then every `intervalMs` (null: once), keeping the last good data
 * when a poll fails so the page stays readable while the API is down.
 */
import { useCallback, useEffect, useState } from 'react';
import { gql } from '../lib/api';
import { useApi } from './ApiProvider';

export interface Polled<T> {
  data: T | null;
  error: Error | null;
  refresh(): void;
}

export function usePoll<T>(query: string, variables: Record<string, unknown>, intervalMs: number | null): Polled<T> {
  const { config } = useApi();
  const [state, setState] = useState<{ data: T | null; error: Error | null }>({ data: null, error: null });
  const [tick, setTick] = useState(0);
  const vars = JSON.stringify(variables);

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const data = await gql<T>(config, query, JSON.parse(vars), controller.signal);
        if (!controller.signal.aborted) setState({ data, error: null });
      } catch (error) {
        if (controller.signal.aborted) return;
        setState((s) => ({ data: s.data, error: error as Error }));
      }
      if (!controller.signal.aborted && intervalMs !== null) timer = setTimeout(poll, intervalMs);
    };
    void poll();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [config, query, vars, intervalMs, tick]);

  const refresh = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, refresh };
}
