'use client';
/**
 * Whose scores the page shows — the sweep's own evaluator or another that re-scored its stored
 * samples — and the button that re-scores them (with the own evaluator, or one with changed fields).
 */
import { useState } from 'react';
import { RESCORE_SWEEP } from '../../lib/queries';
import type { SweepDetail } from '../../lib/types';
import { ApiErrorNotice } from '../ApiErrorNotice';
import { useMutation } from '../useMutation';
import { Select } from '../Select';

const short = (hash: string) => hash.slice(0, 10);

export function EvaluatorControls({ sweep, evaluator, onEvaluator, onRescored }: { sweep: SweepDetail; evaluator: string | null; onEvaluator(hash: string | null): void; onRescored(): void }) {
  const [changes, setChanges] = useState('');
  const { busy, error, setError, run } = useMutation();
  const own = sweep.evaluators.find((e) => e.own) ?? null;
  const chosen = evaluator && sweep.evaluators.some((e) => e.hash === evaluator) ? evaluator : '';
  const done = sweep.rescores.filter((r) => r.status === 'succeeded').length;
  const failed = sweep.rescores.filter((r) => r.status === 'failed').length;
  const stored = sweep.runs.some((r) => r.samplesNpzUrl);

  const rescore = async () => {
    setError(null);
    let overrides: unknown = null;
    if (changes.trim()) {
      try {
        overrides = JSON.parse(changes);
      } catch {
        setError(new Error('Evaluator changes must be JSON, e.g. {"steps": 6000}'));
        return;
      }
    }
    await run(RESCORE_SWEEP, { id: sweep.id, evaluator: overrides }, onRescored);
  };

  return (
    <div className="controls" aria-label="Evaluator">
      <Select id="evaluator" label="Scores from" value={chosen} onChange={(v) => onEvaluator(v || null)} disabled={sweep.evaluators.length < 2}>
        <option value="">{own ? `the sweep's evaluator (${short(own.hash)})` : "the sweep's evaluator"}</option>
        {sweep.evaluators
          .filter((e) => !e.own)
          .map((e) => (
            <option key={e.hash} value={e.hash}>
              evaluator {short(e.hash)} ({e.runsScored} runs)
            </option>
          ))}
      </Select>
      <span className="control">
        <label htmlFor="rescore-changes">Evaluator changes (JSON; empty: the sweep&apos;s own)</label>
        <input id="rescore-changes" value={changes} placeholder='{"steps": 6000}' onChange={(e) => setChanges(e.target.value)} />
      </span>
      <button type="button" disabled={busy || !stored} onClick={() => void rescore()}>
        Re-score from stored samples
      </button>
      {sweep.rescores.length ? (
        <span className="muted">
          re-scored {done} of {sweep.rescores.length}
          {failed ? `, ${failed} failed` : ''}
        </span>
      ) : null}
      <ApiErrorNotice error={error} />
    </div>
  );
}
