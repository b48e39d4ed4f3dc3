'use client';
/** Everything about one trade-off point: its curve, s and w, every metric (± std over seeds) and its sample grid. */
import { apiHref } from '../../lib/api';
import { METRICS, formatMeanStd } from '../../lib/metrics';
import type { Curve, CurvePoint } from '../../lib/tradeoff';
import { useApi } from '../ApiProvider';

export function PointSummary({ curve, point, pareto }: { curve: Curve; point: CurvePoint; pareto: boolean }) {
  const { config } = useApi();
  return (
    <>
      <strong>{curve.label}</strong>
      <div>
        s = {point.scale} (w = {point.w.toFixed(2)}){point.seeds > 1 ? `, mean of ${point.seeds} seeds` : ''}
        {pareto ? ', Pareto-optimal' : ''}
      </div>
      <table>
        <tbody>
          {METRICS.map((m) => (
            <tr key={m.key}>
              <td>{m.label}</td>
              <td className="num">{formatMeanStd(point.metrics[m.key], point.std[m.key], m.key)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {point.gridUrl ? <img src={apiHref(config, point.gridUrl)} alt={`Sample grid of ${curve.label} at s = ${point.scale}`} /> : <span className="pending">no samples yet</span>}
    </>
  );
}
