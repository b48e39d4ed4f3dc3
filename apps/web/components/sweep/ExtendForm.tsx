'use client';
/**
 * Adds scales, seeds or methods to this sweep (extendSweep): only the missing grid points run, on
 * the models the sweep has already trained. Problems show at the input they concern, as on launch.
 */
import { METHOD_IDS } from '@guidance-lab/experiments/methods';
import { useState } from 'react';
import { issuesFromApiError } from '../../lib/api';
import { EXTEND_SWEEP } from '../../lib/queries';
import { issuesByField } from '../../lib/specForm';
import type { SweepDetail } from '../../lib/types';
import { ApiErrorNotice } from '../ApiErrorNotice';
import { Field } from '../launch/Field';
import { useMutation } from '../useMutation';

type Input = 'scales' | 'seeds' | 'methods';
const INPUTS: Input[] = ['scales', 'seeds', 'methods'];

/** "1, 2.5" → numbers; a token that is not a number is an error naming the input. */
function numbers(text: string, input: Input, errors: Partial<Record<Input | 'form', string>>): number[] {
  const tokens = text.split(/[\s,;]+/).filter(Boolean);
  const bad = tokens.filter((t) => !Number.isFinite(Number(t)));
  if (bad.length) errors[input] = `${input} must be numbers separated by commas (not ${bad.map((b) => `"${b}"`).join(', ')})`;
  return tokens.map(Number);
}

/** The input an API error's field belongs to ("scales.2" → scales); anything else is the form's. */
const inputOf = (field: string): Input | 'form' => INPUTS.find((i) => field === i || field.startsWith(`${i}.`)) ?? 'form';

export function ExtendForm({ sweep, onExtended }: { sweep: SweepDetail; onExtended(): void }) {
  const [text, setText] = useState<Record<Input, string>>({ scales: '', seeds: '', methods: '' });
  // Inputs that do not parse; the API's problems come from the failed mutation's error.
  const [parseErrors, setParseErrors] = useState<Partial<Record<Input | 'form', string>>>({});
  const { busy, error, setError, run } = useMutation();
  const { issues, rest: failure } = issuesFromApiError(error);
  const errors = error ? issuesByField(issues, inputOf) : parseErrors;
  const cancelled = sweep.status === 'cancelled';

  const submit = async () => {
    const found: Partial<Record<Input | 'form', string>> = {};
    const scales = numbers(text.scales, 'scales', found);
    const seeds = numbers(text.seeds, 'seeds', found);
    const methods = text.methods.split(/[\s,;]+/).filter(Boolean);
    setParseErrors(found);
    if (Object.keys(found).length) return setError(null);
    await run(EXTEND_SWEEP, { id: sweep.id, scales, seeds, methods }, () => {
      setText({ scales: '', seeds: '', methods: '' });
      onExtended();
    });
  };

  return (
    <details className="extend">
      <summary>Extend this sweep…</summary>
      {cancelled ? <p className="muted">A cancelled sweep must be resumed before it can be extended.</p> : null}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
        noValidate
      >
        <p className="muted">
          Only the new grid points run; models the sweep (or any other) already trained are reused. The sweep has scales {sweep.spec.scales.join(', ')}, seeds{' '}
          {sweep.spec.seeds.join(', ')} and methods {sweep.spec.methods.map((m) => m.method).join(', ')}.
        </p>
        <Field id="x-scales" label="Scales to add" hint="e.g. 5, 7.5" error={errors.scales}>
          {(props) => <input {...props} value={text.scales} onChange={(e) => setText({ ...text, scales: e.target.value })} />}
        </Field>
        <Field id="x-seeds" label="Seeds to add" hint="each seed trains its own ε-nets" error={errors.seeds}>
          {(props) => <input {...props} value={text.seeds} onChange={(e) => setText({ ...text, seeds: e.target.value })} />}
        </Field>
        <Field id="x-methods" label="Methods to add" hint={`method ids: ${METHOD_IDS.join(', ')}`} error={errors.methods}>
          {(props) => <input {...props} value={text.methods} onChange={(e) => setText({ ...text, methods: e.target.value })} />}
        </Field>
        {errors.form ? (
          <div role="alert" className="notice notice-error" id="extend-error">
            {errors.form}
          </div>
        ) : null}
        <ApiErrorNotice error={failure} />
        <button type="submit" disabled={busy || cancelled}>
          {busy ? 'Extending…' : 'Add to the sweep'}
        </button>
      </form>
    </details>
  );
}
