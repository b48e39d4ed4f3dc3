'use client';
/**
 * Where the API is (read by the server at request time, so one build serves any API URL) and
 * the bearer token for mutations and protected reads (kept in this browser's localStorage when the API requires one).
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ApiConfig } from '../lib/api';

const TOKEN_KEY = 'guidance-lab.api-token';

interface ApiContextValue {
  config: ApiConfig;
  /**
   * False until the stored token has been read (just after hydration): a request sent before
   * would go without it and be sent again as soon as it is read.
   */
  ready: boolean;
  setToken(token: string | null): void;
}

const ApiContext = createContext<ApiContextValue | null>(null);

export function ApiProvider({ url, children }: { url: string; children: React.ReactNode }) {
  // undefined: not read yet.
  const [stored, setTokenState] = useState<string | null | undefined>(undefined);
  useEffect(() => setTokenState(window.localStorage.getItem(TOKEN_KEY)), []);
  const token = stored ?? null;
  const ready = stored !== undefined;
  const setToken = useCallback((next: string | null) => {
    if (next) window.localStorage.setItem(TOKEN_KEY, next);
    else window.localStorage.removeItem(TOKEN_KEY);
    setTokenState(next);
  }, []);
  const config = useMemo(() => ({ url, token }), [url, token]);
  const value = useMemo(() => ({ config, ready, setToken }), [config, ready, setToken]);
  return <ApiContext.Provider value={value}>{children}</ApiContext.Provider>;
}

export function useApi(): ApiContextValue {
  const value = useContext(ApiContext);
  if (!value) throw new Error('useApi must be used inside <ApiProvider>');
  return value;
}
