'use client';
/**
 * Launch a preset (with optional overrides) or a grid built field by field. The grid's size and
 * cost are worked out as the form changes; problems, from the spec check or from the API on
 * launch (extensions.field), are shown at the input they concern.
 */
import { mergeOverrides } from '@guidance-lab/experiments/merge';
import { parseSpec, type SpecIssue, type SweepSpecInput } from '@guidance-lab/experiments/spec';
import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useState } from 'react';
import { planSweep, type PlanResult } from '../../app/launch/plan';
import { gql, issuesFromApiError } from '../../lib/api';
import { LAUNCH_PRESET, LAUNCH_SWEEP, PRESETS } from '../../lib/queries';
import { formToSpec, issuesByField, issueText, parseOverrides, specToForm, type GridForm } from '../../lib/specForm';
import type { Preset } from '../../lib/types';
import { choiceParam } from '../../lib/urlState';
import { ApiErrorNotice } from '../ApiErrorNotice';
import { useApi } from '../ApiProvider';
import { usePoll } from '../usePoll';
import { useUrlState } from '../useUrlState';
import { CostPanel } from './CostPanel';
import { Field } from './Field';
import { GridBuilder } from './GridBuilder';

const STARTING_GRID: SweepSpecInput = {
  name: 'my sweep',
  dataset: { kind: 'toy2d' },
  guidance: ['classifier-free', 'classifier'],
  scales: [0, 1, 2, 4],
  pUncond: [0.1],
};

export function LaunchPage() {
  const { params, set: go } = useUrlState();
  const router = useRouter();
  const { config } = useApi();
  const mode = choiceParam(params, 'mode', ['preset', 'grid'] as const, 'preset');
  const presetName = params.get('preset');
  const quick = params.get('quick') !== '0';

  const presets = usePoll<{ presets: Preset[] }>(PRESETS, {}, null);
  const names = useMemo(() => [...new Set(presets.data?.presets.map((p) => p.name) ?? [])], [presets.data]);
  const preset = presets.data?.presets.find((p) => p.name === (presetName ?? names[0]) && p.quick === quick) ?? null;

  const [overridesText, setOverridesText] = useState('');
  const [base, setBase] = useState<{ name: string; spec: SweepSpecInput } | null>(null);
  const [form, setForm] = useState<GridForm>(() => specToForm(parseSpec(STARTING_GRID)));
  const [plan, setPlan] = useState<PlanResult | null>(null);
  const [planning, setPlanning] = useState(false);
  const [launchIssues, setLaunchIssues] = useState<SpecIssue[]>([]);
  const [launchError, setLaunchError] = useState<Error | null>(null);
  const [launching, setLaunching] = useState(false);

  // The spec the page would launch, and the problems found before asking anyone.
  const draft = useMemo(() => {
    if (mode === 'grid') return formToSpec(form, base?.spec ?? null);
    if (!preset) return null;
    const { overrides, issue } = parseOverrides(overridesText, 'overrides');
    return { spec: overrides ? mergeOverrides(preset.spec, overrides) : preset.spec, issues: issue ? [issue] : [], overrides };
  }, [mode, form, base, preset, overridesText]);

  useEffect(() => {
    setLaunchIssues([]);
    setLaunchError(null);
    if (!draft || draft.issues.length) {
      setPlan(null);
      return;
    }
    let current = true;
    setPlanning(true);
    const timer = setTimeout(() => {
      planSweep(draft.spec)
        .then((result) => current && setPlan(result))
        .catch((error: Error) => current && setLaunchError(error))
        .finally(() => current && setPlanning(false));
    }, 250);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [draft]);

  const issues = [...(draft?.issues ?? []), ...(plan && !plan.ok ? plan.issues : []), ...launchIssues];
  // A preset's problems all show at its overrides box (the only input it has); a grid's at each field.
  const errors = mode === 'grid' ? issuesByField(issues) : {};
  const presetError = mode === 'preset' && issues.length ? issues.map(issueText).join('; ') : undefined;

  const launch = async () => {
    if (!draft) return;
    setLaunching(true);
    setLaunchError(null);
    setLaunchIssues([]);
    try {
      const data =
        mode === 'grid'
          ? await gql<{ launchSweep: { id: string } }>(config, LAUNCH_SWEEP, { spec: draft.spec, name: form.name.trim() || null }).then((d) => d.launchSweep)
          : await gql<{ launchPreset: { id: string } }>(config, LAUNCH_PRESET, { name: preset!.name, overrides: 'overrides' in draft ? draft.overrides : null, quick }).then(
              (d) => d.launchPreset,
            );
      router.push(`/sweeps/${data.id}`);
    } catch (error) {
      const { issues: fieldIssues, rest } = issuesFromApiError(error);
      setLaunchIssues(fieldIssues);
      setLaunchError(rest);
      setLaunching(false);
    }
  };

  const editAsGrid = () => {
    if (!preset) return;
    setBase({ name: preset.name, spec: preset.spec });
    setForm(specToForm(parseSpec(preset.spec)));
    go({ mode: 'grid' });
  };

  return (
    <>
      <h1>Launch a sweep</h1>
      <div className="tabs" role="group" aria-label="How to describe the sweep">
        <button type="button" aria-pressed={mode === 'preset'} onClick={() => go({ mode: null })}>
          From a preset
        </button>
        <button type="button" aria-pressed={mode === 'grid'} onClick={() => go({ mode: 'grid' })}>
          Build a grid
        </button>
      </div>
      <ApiErrorNotice error={presets.error} />
      <form
        className="launch"
        onSubmit={(e) => {
          e.preventDefault();
          void launch();
        }}
        noValidate
      >
        <div>
          {mode === 'preset' ? (
            <>
              <fieldset>
                <legend>Preset</legend>
                <div className="preset-list">
                  {names.map((name) => {
                    const full = presets.data!.presets.find((p) => p.name === name && !p.quick) ?? presets.data!.presets.find((p) => p.name === name)!;
                    return (
                      <label key={name} className="preset">
                        <input type="radio" name="preset" value={name} checked={preset?.name === name} onChange={() => go({ preset: name })} /> <strong>{name}</strong>
                        <p>{full.description}</p>
                      </label>
                    );
                  })}
                  {presets.data && names.length === 0 ? <p className="muted">The API lists no presets.</p> : null}
                </div>
                <label>
                  <input type="checkbox" checked={quick} onChange={(e) => go({ quick: e.target.checked ? null : '0' })} /> Quick variant (sized for a 2-core CPU)
                </label>
              </fieldset>
              <Field
                id="f-overrides"
                label="Overrides (JSON, optional)"
                hint='merged into the preset: objects key by key, lists replace, e.g. {"seeds": [0, 1], "samplesPerClass": 50}'
                error={presetError}
              >
                {(props) => <textarea {...props} rows={4} value={overridesText} onChange={(e) => setOverridesText(e.target.value)} spellCheck={false} />}
              </Field>
              {preset ? (
                <button type="button" onClick={editAsGrid}>
                  Edit this preset as a grid…
                </button>
              ) : null}
            </>
          ) : (
            <>
              {base ? (
                <p className="notice notice-info">
                  Starting from preset <strong>{base.name}</strong>; fields not shown keep its values.{' '}
                  <button type="button" onClick={() => setBase(null)}>
                    Forget the preset's other fields
                  </button>
                </p>
              ) : null}
              <GridBuilder form={form} onChange={setForm} errors={errors} />
            </>
          )}
          {errors.form ? (
            <div role="alert" className="notice notice-error" id="form-error">
              {errors.form}
            </div>
          ) : null}
          <ApiErrorNotice error={launchError} />
          <p>
            <button type="submit" className="primary" disabled={launching || !draft}>
              {launching ? 'Launching…' : 'Launch sweep'}
            </button>
          </p>
        </div>
        <CostPanel plan={plan} pending={planning} />
      </form>
    </>
  );
}
