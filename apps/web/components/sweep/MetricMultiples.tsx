'use client';
/** Small multiples: each metric against the guidance scale s, one line per curve, ± std over seeds, each curve's best s marked. */
import { METRICS, formatMeanStd, metricValue, type MetricValues } from '../../lib/metrics';
import { metricByScale, type Curve } from '../../lib/tradeoff';
import { SeriesChart } from './SeriesChart';

export function MetricMultiples({ curves, selected, highlight = null, floor, onSelect }: { curves: Curve[]; selected: string | null; highlight?: Set<string> | null; floor: MetricValues | null; onSelect(runId: string): void }) {
  const std = (curve: Curve, runId: string) => curve.points.find((q) => q.runId === runId)?.std ?? {};
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
              title={`${m.label} against the guidance scale s`}
              description={`One line per curve; diamonds mark each curve's best ${m.label}; dashed: real data.`}
              xLabel="scale s"
              yLabel={m.label}
              width={380}
              height={230}
              floor={{ x: null, y: metricValue(floor, m.key) }}
              selected={selected}
              highlight={highlight}
              onSelect={onSelect}
              pointClass={`multiple-point multiple-${m.key}`}
              pointName={(p, curve) => `${curve.label}, s = ${p.s}: ${m.label} ${formatMeanStd(p.y, std(curve, p.runId)[m.key], m.key)}${p.best.length ? `; best ${m.label} of its curve` : ''}`}
              tooltip={(p, curve) => (
                <div className="tooltip">
                  <strong>{curve.label}</strong>
                  <div>
                    s = {p.s}: {m.label} {formatMeanStd(p.y, std(curve, p.runId)[m.key], m.key)}
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
