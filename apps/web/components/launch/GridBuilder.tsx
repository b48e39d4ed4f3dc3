'use client';
/** The grid builder: dataset, guidance methods, scales, p_uncond, seeds, samples and sampler, each flagged at its input. */
import { METHOD_IDS, type MethodId } from '@guidance-lab/experiments/methods';
import type { FormField, GridForm } from '../../lib/specForm';
import { Field } from './Field';

const GUIDANCE_LABELS: Record<MethodId, string> = {
  'classifier-free': 'Classifier-free (Ho & Salimans)',
  classifier: 'Classifier guidance (Dhariwal & Nichol)',
  none: 'None (baseline)',
  autoguidance: 'Autoguidance: a smaller, shorter-trained guide (Karras et al. 2024)',
  'cfg-pp': 'CFG++, scale λ ≤ 1 (Chung et al. 2024)',
  apg: 'Adaptive projected guidance (Sadat et al. 2024)',
  'cfg-zero-star': 'CFG-Zero* (Fan et al. 2025)',
  icg: 'Independent condition guidance (Sadat et al. 2024)',
};

export function GridBuilder({ form, onChange, errors }: { form: GridForm; onChange(form: GridForm): void; errors: Partial<Record<FormField, string>> }) {
  const set = <K extends keyof GridForm>(key: K, value: GridForm[K]) => onChange({ ...form, [key]: value });
  const text = (key: keyof GridForm, label: string, hint?: string) => (
    <Field id={`f-${key}`} label={label} hint={hint} error={errors[key]}>
      {(props) => <input {...props} type="text" inputMode="decimal" value={form[key] as string} onChange={(e) => set(key, e.target.value)} />}
    </Field>
  );
  const toggle = (g: MethodId, on: boolean) => set('guidance', on ? METHOD_IDS.filter((t) => t === g || form.guidance.includes(t)) : form.guidance.filter((t) => t !== g));

  return (
    <>
      <fieldset>
        <legend>Sweep</legend>
        <div className="form-grid">
          <Field id="f-name" label="Name" error={errors.name}>
            {(props) => <input {...props} type="text" value={form.name} onChange={(e) => set('name', e.target.value)} />}
          </Field>
          <Field id="f-datasetKind" label="Dataset" error={errors.datasetKind} hint="toy2d trains in seconds; mnist is the 10,000-digit set">
            {(props) => (
              <select {...props} value={form.datasetKind} onChange={(e) => set('datasetKind', e.target.value as GridForm['datasetKind'])}>
                <option value="toy2d">toy2d (2-D class-conditional mixture)</option>
                <option value="mnist">mnist (28×28 digits)</option>
              </select>
            )}
          </Field>
          {form.datasetKind === 'toy2d' ? (
            <>
              {text('classes', 'Classes K', '2 to 10')}
              {text('trainSize', 'Training points', '200 to 200,000')}
            </>
          ) : null}
        </div>
      </fieldset>

      <fieldset aria-describedby={errors.guidance ? 'f-guidance-error' : undefined}>
        <legend>Guidance</legend>
        <div className="choices" role="group" aria-label="Guidance methods">
          {METHOD_IDS.map((g) => (
            <label key={g}>
              <input type="checkbox" id={`f-guidance-${g}`} checked={form.guidance.includes(g)} onChange={(e) => toggle(g, e.target.checked)} /> {GUIDANCE_LABELS[g]}
            </label>
          ))}
        </div>
        {errors.guidance ? (
          <p id="f-guidance-error" className="field-error" role="alert">
            {errors.guidance}
          </p>
        ) : null}
        <div className="form-grid">
          {text('scales', 'Guidance scales s', 'comma-separated, 0 to 100; w = s − 1 (s = 1: plain conditional)')}
          {text('pUncond', 'p_uncond values', 'condition dropout of the classifier-free ε-nets, e.g. 0.1, 0.2, 0.5')}
          {text('classifierGuidedPUncond', 'p_uncond of the classifier-guided ε-net', '1 = unconditional model (Dhariwal & Nichol Table 4)')}
          {text('seeds', 'Seeds', 'comma-separated whole numbers')}
        </div>
      </fieldset>

      <fieldset>
        <legend>Sampling and training</legend>
        <div className="form-grid">
          {text('samplesPerClass', 'Samples per class', '1 to 10,000; also the columns of each sample grid')}
          <Field id="f-samplerKind" label="Sampler" error={errors.samplerKind}>
            {(props) => (
              <select {...props} value={form.samplerKind} onChange={(e) => set('samplerKind', e.target.value as GridForm['samplerKind'])}>
                <option value="ddim">DDIM</option>
                <option value="ddpm">DDPM (ancestral)</option>
              </select>
            )}
          </Field>
          {text('samplerSteps', 'Sampler steps S', 'respaced steps, at most T')}
          {text('eta', 'DDIM η', '0 = deterministic; ignored by DDPM')}
          {text('scheduleT', 'Training timesteps T', '10 to 4000')}
          {text('trainingSteps', 'ε-net training steps')}
          {text('classifierSteps', 'Noise-aware classifier training steps')}
          {text('evaluatorSteps', 'Evaluator training steps')}
        </div>
      </fieldset>

      <Field
        id="f-extra"
        label="Advanced: JSON merged over the spec"
        hint='any other spec field, e.g. {"model": {"hidden": 64}, "training": {"batchSize": 128}}'
        error={errors.extra}
      >
        {(props) => <textarea {...props} rows={3} value={form.extra} onChange={(e) => set('extra', e.target.value)} spellCheck={false} />}
      </Field>
    </>
  );
}
