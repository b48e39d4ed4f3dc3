'use client';
/**
 * How far to trust the scores: the evaluator's accuracy on held-out real data and whether that is
 * reliable, and the real-data floor (held-out data scored like a run: the best any model can reach).
 */
import { METRICS, formatMetric, metricValue, type MetricValues } from '../../lib/metrics';
import type { Run } from '../../lib/types';

/** The first scored run's verdict and floor: every run of a sweep shares its evaluator and N. */
export function sweepVerdict(runs: Pick<Run, 'evaluatorAccuracy' | 'evaluatorReliable' | 'floor'>[]): { accuracy: number | null; reliable: boolean | null; floor: MetricValues | null } {
  const judged = runs.find((r) => r.evaluatorAccuracy !== null);
  return { accuracy: judged?.evaluatorAccuracy ?? null, reliable: judged?.evaluatorReliable ?? null, floor: runs.find((r) => r.floor)?.floor ?? null };
}

export function EvaluatorVerdict({ runs }: { runs: Run[] }) {
  const { accuracy, reliable, floor } = sweepVerdict(runs);
  if (accuracy === null && !floor) return null;
  return (
    <p className={reliable === false ? 'notice notice-error' : 'muted'} data-testid="evaluator-verdict">
      {accuracy !== null ? (
        <>
          Evaluator accuracy on held-out real data: {(accuracy * 100).toFixed(1)}% —{' '}
          {reliable ? 'reliable' : 'below 0.98 of the attainable accuracy: treat these scores as unreliable'}.{' '}
        </>
      ) : null}
      {floor ? (
        <>
          Real-data floor:{' '}
          {METRICS.filter((m) => metricValue(floor, m.key) !== null)
            .map((m) => `${m.label} ${formatMetric(metricValue(floor, m.key), m.key)}`)
            .join(', ')}
          .
        </>
      ) : null}
    </p>
  );
}
