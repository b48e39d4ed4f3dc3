'use client';
/** Small multiples: each metric against the guidance scale s, one line per curve. */
import { METRICS, formatMetric, metricDef } from '../../lib/metrics';
import { metricByScale, type Curve } from '../../lib/tradeoff';
import { SeriesChart } from './SeriesChart';

export function MetricMultiples({ curves, selected, onSelect }: { curves: Curve[]; selected: string | null; onSelect(runId: string): void }) {
  return (
    <section aria-labelledby="multiples-title">
      <h2 id="multiples-title">Metrics against the guidance scale</h2>
      <div className="multiples">
        {METRICS.map((m) => (
          <figure key={m.key}>
            <figcaption>
              {m.label} <span className="muted">({m.better} is better)</span>
            </figcaption>
            <SeriesChart
              rows={metricByScale(curves, m.key)}
              xLabel="scale s"
              yLabel={m.label}
              height={210}
              selected={selected}
              onSelect={onSelect}
              pointClass={`multiple-point multiple-${m.key}`}
              tooltip={(p, curve) => (
                <div className="tooltip">
                  <strong>{curve.label}</strong>
                  <div>
                    s = {p.s}: {metricDef(m.key).label} {formatMetric(p.y, m.key)}
                  </div>
                </div>
              )}
            />
          </figure>
        ))}
      </div>
    </section>
  );
}
