'use client';
/**
 * The page's query string as its state (deep links). Changes go through the native
 * history.replaceState, which Next.js syncs into useSearchParams, and are applied to the URL as it
 * is at call time, so two quick changes in a row both stick.
 */
import { useSearchParams } from 'next/navigation';
import { useCallback } from 'react';
import { withParams } from '../lib/urlState';

export function useUrlState(): { params: URLSearchParams; set(changes: Record<string, string | number | null | undefined>): void } {
  const params = useSearchParams();
  const set = useCallback((changes: Record<string, string | number | null | undefined>) => {
    const next = withParams(window.location.search, changes);
    // null state: Next.js syncs only calls that do not carry its own history entry.
    window.history.replaceState(null, '', `${window.location.pathname}${next}${window.location.hash}`);
  }, []);
  return { params: new URLSearchParams(params.toString()), set };
}
