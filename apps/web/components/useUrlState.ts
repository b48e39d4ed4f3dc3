'use client';
/**
 * The page's query string as its state (deep links). Changes go through the native
 * history.replaceState, which Next.js syncs into useSearchParams.
 *
 * Next.js queues each sync and rewrites the URL to its own (older) copy as each one commits, so
 * window.location can briefly lag behind a change made a moment ago. Changes are therefore
 * composed on the last query this hook wrote, until the router has caught up with it, so two quick
 * changes in a row both stick.
 */
import { useSearchParams } from 'next/navigation';
import { useCallback, useEffect } from 'react';
import { withParams } from '../lib/urlState';

let written: { path: string; search: string } | null = null;

export function useUrlState(): { params: URLSearchParams; set(changes: Record<string, string | number | null | undefined>): void } {
  const params = useSearchParams();
  const search = withParams(params.toString(), {});
  useEffect(() => {
    if (written && written.search === search) written = null;
  }, [search]);
  const set = useCallback((changes: Record<string, string | number | null | undefined>) => {
    const path = window.location.pathname;
    const base = written && written.path === path ? written.search : window.location.search;
    const next = withParams(base, changes);
    if (next === withParams(base, {})) return; // no change: nothing for the router to catch up with
    written = { path, search: next };
    // null state: Next.js syncs only calls that do not carry its own history entry.
    window.history.replaceState(null, '', `${path}${next}${window.location.hash}`);
  }, []);
  return { params: new URLSearchParams(params.toString()), set };
}
