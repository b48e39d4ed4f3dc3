'use client';
import { useEffect, useState } from 'react';

/**
 * The current time, refreshed every second while `ticking` so running durations count up; a page
 * with nothing running does not re-render at all.
 */
export function useNow(ticking: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return;
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [ticking]);
  return now;
}
