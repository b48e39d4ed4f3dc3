'use client';
/** Progress of every job: each model's training (with its loss curve) and each run's sampling and scoring, errors shown. */
import { Line, LineChart, YAxis } from 'recharts';
import { formatDuration } from '../../lib/format';
import type { Model, Run } from '../../lib/types';
import { ProgressBar, StatusBadge } from '../Status';

export const KIND_LABEL: Record<Model['kind'], string> = { eps: 'ε-net', noisy_classifier: 'noise-aware classifier', evaluator: 'evaluator' };

function LossCurve({ curve }: { curve: Model['curve'] }) {
  if (curve.length < 2) return <span className="muted">–</span>;
  const last = curve[curve.length - 1];
  return (
    <span className="actions" title={`loss ${last.loss.toPrecision(4)} at step ${last.step}`}>
      <LineChart width={160} height={36} data={curve} aria-label="Training loss curve">
        <YAxis hide domain={['auto', 'auto']} scale="log" allowDataOverflow />
        <Line dataKey="loss" dot={false} stroke="#0072B2" strokeWidth={1.5} isAnimationActive={false} />
      </LineChart>
      <span className="muted">{last.loss.toPrecision(3)}</span>
    </span>
  );
}

export function JobsSection({ models, runs }: { models: Model[]; runs: Run[] }) {
  return (
    <section aria-labelledby="jobs-title">
      <h2 id="jobs-title">Jobs</h2>
      <h3>Training ({models.filter((m) => m.status === 'succeeded').length} of {models.length} models trained)</h3>
      <div className="scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">Status</th>
              <th scope="col">Progress</th>
              <th scope="col">Loss</th>
              <th scope="col">Backend</th>
            </tr>
          </thead>
          <tbody>
            {models.map((m) => (
              <tr key={m.id}>
                <td>
                  {KIND_LABEL[m.kind]}
                  {m.kind === 'eps' && m.config.pUncond !== undefined ? `, p_uncond ${m.config.pUncond}` : ''}
                  {m.config.seed !== undefined ? `, seed ${m.config.seed}` : ''} <code className="muted">{m.key.slice(0, 8)}</code>
                  {m.error ? <div className="error-text">{m.error}</div> : null}
                </td>
                <td>
                  <StatusBadge status={m.status} />
                  {m.attempts > 1 ? <span className="muted"> attempt {m.attempts}</span> : null}
                </td>
                <td>
                  <ProgressBar value={m.progress} label={`Training of ${KIND_LABEL[m.kind]} ${m.key.slice(0, 8)}`} />{' '}
                  <span className="muted">
                    {m.step}/{m.totalSteps} steps
                  </span>
                </td>
                <td>
                  <LossCurve curve={m.curve} />
                </td>
                <td>{m.backend ?? '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3>Sampling and scoring ({runs.filter((r) => r.status === 'succeeded').length} of {runs.length} runs done)</h3>
      <div className="scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Status</th>
              <th scope="col">Phase</th>
              <th scope="col">Progress</th>
              <th scope="col" className="num">
                Time
              </th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.id}>
                <td>
                  {r.guidance}, p_uncond {r.pUncond}, s = {r.scale}, seed {r.seed}
                  {r.error ? <div className="error-text">{r.error}</div> : null}
                </td>
                <td>
                  <StatusBadge status={r.status} />
                  {r.attempts > 1 ? <span className="muted"> attempt {r.attempts}</span> : null}
                </td>
                <td>{r.status === 'succeeded' ? 'done' : r.phase}</td>
                <td>
                  <ProgressBar value={r.status === 'succeeded' ? 1 : r.progress} label={`Run ${r.guidance} s = ${r.scale} seed ${r.seed}`} />
                </td>
                <td className="num">{formatDuration(r.durationMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
