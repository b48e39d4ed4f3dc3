/** One curve per guidance type × p_uncond, named as the dashboard names it. */
import type { ResultAggregate } from '@guidance-lab/experiments';

export const seriesLabel = (a: Pick<ResultAggregate, 'guidance' | 'pUncond'>) => `${a.guidance}, p_uncond ${a.pUncond}`;

/** Series in a stable order (guidance type, then p_uncond) with their points in increasing scale. */
export function seriesOf<T extends Pick<ResultAggregate, 'guidance' | 'pUncond' | 'scale'>>(points: T[]): { label: string; points: T[] }[] {
  const groups = new Map<string, T[]>();
  const sorted = [...points].sort((a, b) => a.guidance.localeCompare(b.guidance) || a.pUncond - b.pUncond || a.scale - b.scale);
  for (const p of sorted) groups.set(seriesLabel(p), [...(groups.get(seriesLabel(p)) ?? []), p]);
  return [...groups].map(([label, pts]) => ({ label, points: pts }));
}
