'use client';
/** Progress of every job: each model's training (its loss curve with axes, and the time left) and each run's sampling and scoring, errors shown. */
import { Line, LineChart, XAxis, YAxis } from 'recharts';
import { trainingEta } from '../../lib/eta';
import { formatDuration } from '../../lib/format';
import type { Model, Run } from '../../lib/types';
import { ProgressBar, StatusBadge } from '../Status';

export const KIND_LABEL: Record<Model['kind'], string> = { eps: 'ε-net', noisy_classifier: 'noise-aware classifier', evaluator: 'evaluator' };

function LossCurve({ curve, name }: { curve: Model['curve']; name: string }) {
  if (curve.length < 2) return <span className="muted">–</span>;
  const last = curve[curve.length - 1];
  return (
    <span className="actions loss-curve" title={`loss ${last.loss.toPrecision(4)} at step ${last.step}`}>
      <LineChart width={260} height={96} data={curve} margin={{ top: 4, right: 8, bottom: 0, left: 0 }} role="img" aria-label={`Training loss of ${name} against the step (log scale): ${last.loss.toPrecision(3)} at step ${last.step}`}>
        <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} tick={{ fontSize: 10 }} height={18} />
        <YAxis domain={['auto', 'auto']} scale="log" allowDataOverflow tick={{ fontSize: 10 }} width={44} tickFormatter={(v: number) => v.toPrecision(2)} />
        <Line dataKey="loss" dot={false} stroke="#0072B2" strokeWidth={1.5} isAnimationActive={false} />
      </LineChart>
      <span className="muted">{last.loss.toPrecision(3)}</span>
    </span>
  );
}

export function JobsSection({ models, runs }: { models: Model[]; runs: Run[] }) {
  // Read at each render (each progress update): no timer re-renders the page for the estimate.
  const now = Date.now();
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
                    {trainingEta(m, now) !== null ? <span className="eta">, about {formatDuration(trainingEta(m, now))} left</span> : null}
                  </span>
                </td>
                <td>
                  <LossCurve curve={m.curve} name={`${KIND_LABEL[m.kind]} ${m.key.slice(0, 8)}`} />
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
