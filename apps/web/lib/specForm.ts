/**
 * The grid builder's form: plain strings as the inputs hold them, turned into a sweep spec
 * (experiments/src/spec.ts) and back, and the mapping from a spec field path (as parseSpec and the
 * API's extensions.field name it) to the input that shows its error.
 */
import { mergeOverrides } from '@guidance-lab/experiments/merge';
import { METHOD_IDS, type MethodId, type MethodSpecInput } from '@guidance-lab/experiments/methods';
import type { SpecIssue, SweepSpec, SweepSpecInput } from '@guidance-lab/experiments/spec';

export interface GridForm {
  name: string;
  datasetKind: 'toy2d' | 'mnist';
  classes: string;
  trainSize: string;
  /** The guidance methods ticked (each with its parameters as the starting spec gave them, else defaults). */
  guidance: MethodId[];
  scales: string;
  pUncond: string;
  classifierGuidedPUncond: string;
  seeds: string;
  samplesPerClass: string;
  samplerKind: 'ddim' | 'ddpm';
  samplerSteps: string;
  eta: string;
  scheduleT: string;
  trainingSteps: string;
  classifierSteps: string;
  evaluatorSteps: string;
  /** Advanced: a JSON object merged over the spec (any other field, e.g. model.hidden). */
  extra: string;
}

/** An input of the form, or 'form' for problems of the whole spec or grid (e.g. the API's run limit). */
export type FormField = keyof GridForm | 'form';

/** Spec path → the input that edits it. Paths not listed are reported at the advanced JSON box. */
const FIELD_OF_PATH: Record<string, FormField> = {
  name: 'name',
  dataset: 'datasetKind',
  'dataset.kind': 'datasetKind',
  'dataset.classes': 'classes',
  'dataset.trainSize': 'trainSize',
  guidance: 'guidance',
  methods: 'guidance',
  scales: 'scales',
  pUncond: 'pUncond',
  classifierGuidedPUncond: 'classifierGuidedPUncond',
  seeds: 'seeds',
  samplesPerClass: 'samplesPerClass',
  'sampler.kind': 'samplerKind',
  'sampler.steps': 'samplerSteps',
  'sampler.eta': 'eta',
  'schedule.T': 'scheduleT',
  'training.steps': 'trainingSteps',
  'classifier.steps': 'classifierSteps',
  'evaluator.steps': 'evaluatorSteps',
  '(advanced JSON)': 'extra',
};

/**
 * The input for a spec path: the longest listed prefix ("scales.2" → scales); other spec fields
 * belong to the JSON box; pseudo-fields such as "(spec)" or "(grid)" to the form as a whole.
 */
export function formFieldOf(path: string): FormField {
  const bare = path.replace(/^spec\./, '');
  const parts = bare.split('.');
  for (let n = parts.length; n > 0; n--) {
    const field = FIELD_OF_PATH[parts.slice(0, n).join('.')];
    if (field) return field;
  }
  return bare.startsWith('(') ? 'form' : 'extra';
}

/** An issue as one sentence that names its field (the API's messages may already start with it). */
export function issueText({ field, message }: SpecIssue): string {
  return message.startsWith(field) ? message : `${field} ${message}`;
}

/**
 * Issues grouped by input (`inputOf` maps a spec path to one; the grid builder's by default); each
 * message names the spec field it is about.
 */
export function issuesByField(issues: SpecIssue[]): Partial<Record<FormField, string>>;
export function issuesByField<F extends string>(issues: SpecIssue[], inputOf: (path: string) => F): Partial<Record<F, string>>;
export function issuesByField(issues: SpecIssue[], inputOf: (path: string) => string = formFieldOf): Partial<Record<string, string>> {
  const out: Partial<Record<string, string>> = {};
  for (const issue of issues) {
    const input = inputOf(issue.field);
    const text = issueText(issue);
    // The spec check and the API on launch may report the same problem: say it once.
    if (!out[input]?.split('; ').includes(text)) out[input] = out[input] ? `${out[input]}; ${text}` : text;
  }
  return out;
}

const list = (xs: readonly number[]) => xs.join(', ');

/** The form showing a validated spec (a preset's, or the defaults). */
export function specToForm(spec: SweepSpec): GridForm {
  const d = spec.dataset;
  return {
    name: spec.name,
    datasetKind: d.kind === 'toy2d' ? 'toy2d' : 'mnist',
    classes: d.kind === 'toy2d' ? String(d.classes) : '4',
    trainSize: d.kind === 'toy2d' ? String(d.trainSize) : '8000',
    guidance: METHOD_IDS.filter((id) => spec.methods.some((m) => m.method === id)),
    scales: list(spec.scales),
    pUncond: list(spec.pUncond),
    classifierGuidedPUncond: String(spec.classifierGuidedPUncond),
    seeds: list(spec.seeds),
    samplesPerClass: String(spec.samplesPerClass),
    samplerKind: spec.sampler.kind,
    samplerSteps: String(spec.sampler.steps),
    eta: String(spec.sampler.eta),
    scheduleT: String(spec.schedule.T),
    trainingSteps: String(spec.training.steps),
    classifierSteps: String(spec.classifier.steps),
    evaluatorSteps: String(spec.evaluator.steps),
    extra: '',
  };
}

/**
 * The spec the form describes, merged over `base` (the preset it started from, if any). Text that
 * is not a number, or JSON that does not parse, is reported at its input; range checks are parseSpec's.
 */
export function formToSpec(form: GridForm, base: SweepSpecInput | null = null): { spec: SweepSpecInput; issues: SpecIssue[] } {
  const issues: SpecIssue[] = [];
  const num = (field: string, text: string): number => {
    const value = Number(text.trim());
    if (text.trim() === '' || !Number.isFinite(value)) issues.push({ field, message: `must be a number (got "${text}")` });
    return value;
  };
  const nums = (field: string, text: string): number[] => {
    const tokens = text.split(/[\s,;]+/).filter(Boolean);
    if (tokens.length === 0) issues.push({ field, message: 'must list at least one number, separated by commas' });
    return tokens.map((t) => num(field, t));
  };

  const baseDataset = base?.dataset?.kind === form.datasetKind ? base.dataset : { kind: form.datasetKind };
  const dataset =
    form.datasetKind === 'toy2d'
      ? { ...baseDataset, kind: 'toy2d' as const, classes: num('dataset.classes', form.classes), trainSize: num('dataset.trainSize', form.trainSize) }
      : { ...baseDataset, kind: 'mnist' as const };
  const fromForm = {
    name: form.name.trim(),
    schedule: { T: num('schedule.T', form.scheduleT) },
    training: { steps: num('training.steps', form.trainingSteps) },
    classifier: { steps: num('classifier.steps', form.classifierSteps) },
    evaluator: { steps: num('evaluator.steps', form.evaluatorSteps) },
    methods: form.guidance.flatMap((id): MethodSpecInput[] => {
      const kept = startingMethods(base).filter((m) => m.method === id);
      return kept.length ? kept : [{ method: id }];
    }),
    scales: nums('scales', form.scales),
    pUncond: nums('pUncond', form.pUncond),
    classifierGuidedPUncond: num('classifierGuidedPUncond', form.classifierGuidedPUncond),
    seeds: nums('seeds', form.seeds),
    samplesPerClass: num('samplesPerClass', form.samplesPerClass),
    sampler: { kind: form.samplerKind, steps: num('sampler.steps', form.samplerSteps), eta: num('sampler.eta', form.eta) },
  };
  if (form.guidance.length === 0) issues.push({ field: 'guidance', message: `must list at least one of: ${METHOD_IDS.join(', ')}` });

  // The ticked methods replace the starting spec's guidance list and methods alike.
  const { guidance: _folded, ...rest } = base ?? {};
  let spec = { ...mergeOverrides({ ...rest }, fromForm), dataset } as SweepSpecInput;
  const extra = parseOverrides(form.extra, '(advanced JSON)');
  if (extra.overrides) spec = mergeOverrides(spec, extra.overrides);
  if (extra.issue) issues.push(extra.issue);
  return { spec, issues };
}

/** The starting spec's methods, its `guidance` strings among them. */
function startingMethods(base: SweepSpecInput | null): MethodSpecInput[] {
  return [...(base?.guidance ?? []).map((method) => ({ method }) as MethodSpecInput), ...(base?.methods ?? [])];
}

/** Parses a box of JSON overrides: empty is no override; anything but a JSON object is an issue at `field`. */
export function parseOverrides(text: string, field: string): { overrides: Record<string, unknown> | null; issue: SpecIssue | null } {
  if (!text.trim()) return { overrides: null, issue: null };
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('it must be a JSON object');
    return { overrides: value as Record<string, unknown>, issue: null };
  } catch (error) {
    return { overrides: null, issue: { field, message: `is not a JSON object: ${(error as Error).message}` } };
  }
}

/**
 * The form as a page's query string keeps it (so a reload keeps an edited grid): the inputs'
 * strings as JSON. Unknown keys and values of the wrong type are dropped, missing ones come from `fallback`.
 */
export function formFromQuery(text: string | null, fallback: GridForm): GridForm {
  if (!text) return fallback;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fallback;
  }
  if (typeof value !== 'object' || value === null) return fallback;
  const form = { ...fallback };
  for (const [key, v] of Object.entries(value)) {
    if (!(key in fallback)) continue;
    if (key === 'guidance') {
      if (Array.isArray(v)) form.guidance = METHOD_IDS.filter((id) => v.includes(id));
    } else if (typeof v === 'string' && typeof fallback[key as keyof GridForm] === 'string') {
      (form as unknown as Record<string, string>)[key] = v;
    }
  }
  return form;
}

/**
 * The form's own issues (text that is not a number, JSON that does not parse) with the spec
 * check's: an input the form already flags keeps its message alone, so a parse error neither
 * repeats as a range error nor hides the range errors of other inputs.
 */
export function combineIssues(own: SpecIssue[], checked: SpecIssue[]): SpecIssue[] {
  const flagged = new Set(own.map((i) => formFieldOf(i.field)));
  return [...own, ...checked.filter((i) => !flagged.has(formFieldOf(i.field)))];
}
