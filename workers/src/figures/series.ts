/** One curve per method × parameters × p_uncond, named as the dashboard names it. */
import { runMethodLabel, type ResultAggregate } from '@guidance-lab/experiments';

type SeriesKey = Pick<ResultAggregate, 'guidance' | 'pUncond'> & Partial<Pick<ResultAggregate, 'method' | 'methodParams'>>;

export const seriesLabel = (a: SeriesKey) => `${runMethodLabel(a)}, p_uncond ${a.pUncond}`;

/** Series in a stable order (guidance type, method label, then p_uncond) with their points in increasing scale. */
export function seriesOf<T extends SeriesKey & Pick<ResultAggregate, 'scale'>>(points: T[]): { label: string; points: T[] }[] {
  const groups = new Map<string, T[]>();
  const sorted = [...points].sort((a, b) => a.guidance.localeCompare(b.guidance) || runMethodLabel(a).localeCompare(runMethodLabel(b)) || a.pUncond - b.pUncond || a.scale - b.scale);
  for (const p of sorted) groups.set(seriesLabel(p), [...(groups.get(seriesLabel(p)) ?? []), p]);
  return [...groups].map(([label, pts]) => ({ label, points: pts }));
}
