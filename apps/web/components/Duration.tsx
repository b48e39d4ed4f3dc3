'use client';
/**
 * How long a sweep has run, counting up each second while `ticking` (it is active): only this text
 * re-renders, not the page around it.
 */
import { elapsed, formatDuration } from '../lib/format';
import { useNow } from './useNow';

export function Duration({ start, end, ticking }: { start: string | null; end: string | null; ticking: boolean }) {
  const now = useNow(ticking);
  return <>{formatDuration(elapsed(start, end, now))}</>;
}
