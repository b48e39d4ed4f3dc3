'use client';
/**
 * One row per trade-off point (curve × scale): each metric as mean ± std over the seeds, and each
 * curve's best value per metric marked ★ (the best s differs by metric).
 */
import { METRICS, formatMeanStd } from '../../lib/metrics';
import { curveOptima, type Curve } from '../../lib/tradeoff';
import { SelectCell } from './SelectCell';

export function PointsTable({ curves, selected, onSelect }: { curves: Curve[]; selected: string | null; onSelect(runId: string): void }) {
  const seeded = curves.some((c) => c.points.some((p) => p.seeds >= 2));
  return (
    <section aria-labelledby="points-title">
      <h2 id="points-title">Points {seeded ? '(mean ± std over seeds)' : ''}</h2>
      <p className="muted">★ marks each curve&apos;s best value of a metric: the scale where that curve does best on it.</p>
      <div className="scroll">
        <table data-testid="points-table">
          <thead>
            <tr>
              <th scope="col">Curve</th>
              <th scope="col" className="num">
                s
              </th>
              <th scope="col" className="num">
                Seeds
              </th>
              {METRICS.map((m) => (
                <th key={m.key} scope="col" className="num">
                  {m.label}
                </th>
              ))}
              <th scope="col">Point</th>
            </tr>
          </thead>
          <tbody>
            {curves.flatMap((curve) => {
              const optima = curveOptima(curve);
              return curve.points.map((p) => (
                <tr key={p.runId} className={p.runId === selected ? 'selected' : undefined}>
                  <td>
                    <span className="swatch" style={{ background: curve.color }} aria-hidden="true" />
                    {curve.label}
                  </td>
                  <td className="num">{p.scale}</td>
                  <td className="num">{p.seeds}</td>
                  {METRICS.map((m) => {
                    const best = optima[m.key] === p.runId;
                    return (
                      <td key={m.key} className={best ? 'num best' : 'num'} data-best={best ? m.key : undefined}>
                        {formatMeanStd(p.metrics[m.key], p.std[m.key], m.key)}
                        {best ? <span title={`best ${m.label} of this curve`}> ★</span> : null}
                      </td>
                    );
                  })}
                  <SelectCell runId={p.runId} selected={selected} label={`${curve.label} s = ${p.scale}`} onSelect={onSelect} />
                </tr>
              ));
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
