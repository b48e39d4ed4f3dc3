'use client';
/**
 * Launch a preset (with optional overrides) or a grid built field by field. The grid's size is
 * worked out as the form changes and its time by the API from this deployment's speed; problems,
 * from the spec check or from the API on launch (extensions.field), are shown at the input they
 * concern, and Launch waits until there are none. The form lives in the URL, so a reload keeps it.
 */
import { mergeOverrides } from '@guidance-lab/experiments/merge';
import { parseSpec, type SpecIssue, type SweepSpecInput } from '@guidance-lab/experiments/spec';
import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useState } from 'react';
import { planSweep, type PlanResult } from '../../app/launch/plan';
import { gql, issuesFromApiError } from '../../lib/api';
import { ESTIMATE, LAUNCH_PRESET, LAUNCH_SWEEP, PRESETS } from '../../lib/queries';
import { combineIssues, formFromQuery, formToSpec, issuesByField, issueText, parseOverrides, specToForm, type GridForm } from '../../lib/specForm';
import type { Estimate, Preset } from '../../lib/types';
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

  // Typed text is kept here and copied to the URL (which lags a moment behind each keystroke).
  const [overridesText, setOverridesTextState] = useState(() => params.get('overrides') ?? '');
  const [form, setFormState] = useState<GridForm>(() => formFromQuery(params.get('form'), specToForm(parseSpec(STARTING_GRID))));
  const setOverridesText = (text: string) => {
    setOverridesTextState(text);
    go({ overrides: text || null });
  };
  const setForm = (next: GridForm) => {
    setFormState(next);
    go({ form: JSON.stringify(next) });
  };
  // The preset a grid was started from, by name; its fields the form does not show are kept.
  const baseName = params.get('base');
  const basePreset = baseName ? (presets.data?.presets.find((p) => p.name === baseName && p.quick === quick) ?? null) : null;
  const base = useMemo(() => (basePreset ? { name: basePreset.name, spec: basePreset.spec } : null), [basePreset]);
  const baseLoading = baseName !== null && !presets.data;
  const [plan, setPlan] = useState<PlanResult | null>(null);
  const [estimate, setEstimate] = useState<Estimate | null>(null);
  const [planning, setPlanning] = useState(false);
  const [launchIssues, setLaunchIssues] = useState<SpecIssue[]>([]);
  const [launchError, setLaunchError] = useState<Error | null>(null);
  const [launching, setLaunching] = useState(false);

  // The spec the page would launch, and the problems found before asking anyone.
  const draft = useMemo(() => {
    if (mode === 'grid') return baseLoading ? null : formToSpec(form, base?.spec ?? null);
    if (!preset) return null;
    const { overrides, issue } = parseOverrides(overridesText, 'overrides');
    return { spec: overrides ? mergeOverrides(preset.spec, overrides) : preset.spec, issues: issue ? [issue] : [], overrides };
  }, [mode, form, base, baseLoading, preset, overridesText]);

  useEffect(() => {
    setLaunchIssues([]);
    setLaunchError(null);
    setEstimate(null);
    if (!draft) {
      setPlan(null);
      return;
    }
    let current = true;
    setPlanning(true);
    // Checked even when some input does not parse, so the other inputs' range errors show too.
    const timer = setTimeout(() => {
      planSweep(draft.spec)
        .then(async (result) => {
          if (!current) return;
          setPlan(result);
          if (!result.ok || draft.issues.length) return;
          const { estimate } = await gql<{ estimate: Estimate }>(config, ESTIMATE, { spec: draft.spec });
          if (current) setEstimate(estimate);
        })
        .catch((error: Error) => current && setLaunchError(error))
        .finally(() => current && setPlanning(false));
    }, 250);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [draft, config]);

  const issues = [...combineIssues(draft?.issues ?? [], plan && !plan.ok ? plan.issues : []), ...launchIssues];
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
    setForm(specToForm(parseSpec(preset.spec)));
    go({ mode: 'grid', base: preset.name });
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
                  <button type="button" onClick={() => go({ base: null })}>
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
            <button type="submit" className="primary" disabled={launching || !draft || issues.length > 0} aria-describedby={issues.length ? 'launch-blocked' : undefined}>
              {launching ? 'Launching…' : 'Launch sweep'}
            </button>{' '}
            {issues.length ? (
              <span id="launch-blocked" className="muted">
                Fix the {issues.length === 1 ? 'problem' : `${issues.length} problems`} flagged above to launch.
              </span>
            ) : null}
          </p>
        </div>
        <CostPanel plan={plan} estimate={estimate} pending={planning} />
      </form>
    </>
  );
}
