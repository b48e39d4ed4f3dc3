import { describe, expect, it } from 'vitest';
import { parseSpec, SpecError, type SpecIssue } from '@guidance-lab/experiments/spec';
import { combineIssues, formFieldOf, formFromQuery, formToSpec, issuesByField, parseOverrides, specToForm, type GridForm } from './specForm';

const preset = parseSpec({
  name: 'p',
  dataset: { kind: 'toy2d', classes: 3, modesPerClass: 2 },
  model: { hidden: 64 },
  guidance: ['classifier-free', 'classifier'],
  scales: [0, 1, 3],
  pUncond: [0.1, 0.5],
});

describe('specToForm / formToSpec', () => {
  it('round-trips a preset, keeping the fields the form does not show', () => {
    const { spec, issues } = formToSpec(specToForm(preset), preset);
    expect(issues).toEqual([]);
    // The guidance strings come back as the methods they stand for.
    const { guidance: _strings, ...rest } = preset;
    expect(parseSpec(spec)).toEqual(rest);
  });

  it('keeps a starting spec’s method parameters and adds a ticked method with its defaults', () => {
    const start = { ...preset, guidance: undefined, methods: [{ method: 'classifier-free' as const, interval: [0.28, 1.61] as [number, number] }] };
    const form = specToForm(parseSpec(start));
    expect(form.guidance).toEqual(['classifier-free']);
    const { spec } = formToSpec({ ...form, guidance: ['classifier-free', 'apg'] }, start);
    expect(parseSpec(spec).methods).toEqual([{ method: 'classifier-free', interval: [0.28, 1.61] }, { method: 'apg' }]);
  });

  it('applies edits, replaces the dataset when its kind changes, and merges the advanced JSON', () => {
    const form = { ...specToForm(preset), datasetKind: 'mnist' as const, scales: '1; 2 4', extra: '{"model": {"depth": 2}}' };
    const { spec, issues } = formToSpec(form, preset);
    expect(issues).toEqual([]);
    const parsed = parseSpec(spec);
    expect(parsed.dataset).toEqual({ kind: 'mnist', testPerClass: 200, seed: 0 });
    expect(parsed.scales).toEqual([1, 2, 4]);
    expect(parsed.model).toMatchObject({ hidden: 64, depth: 2 });
  });

  it('reports text that is not a number or JSON at its field', () => {
    const form = { ...specToForm(preset), scales: '1, x', samplerSteps: '', guidance: [], extra: '[1]' };
    expect(formToSpec(form, preset).issues.map((i) => i.field)).toEqual(['scales', 'sampler.steps', 'guidance', '(advanced JSON)']);
  });
});

describe('field mapping', () => {
  it('maps spec paths (as parseSpec and the API name them) to inputs', () => {
    expect(['scales.2', 'spec.sampler.steps', 'dataset.classes', 'dataset', 'model.hidden', '(advanced JSON)', '(spec)', '(grid)'].map(formFieldOf)).toEqual([
      'scales',
      'samplerSteps',
      'classes',
      'datasetKind',
      'extra',
      'extra',
      'form',
      'form',
    ]);
  });

  it('puts parseSpec’s own messages at the inputs, naming the field', () => {
    const form = { ...specToForm(preset), scales: '1, 1', samplerSteps: '5000', extra: '{"model": {"hidden": 2}}' };
    let issues: SpecIssue[] = [];
    try {
      parseSpec(formToSpec(form, preset).spec);
    } catch (error) {
      issues = (error as SpecError).issues;
    }
    // The API reports the same issues on launch (extensions.issues): each is said once.
    const byField = issuesByField([...issues, ...issues, { field: '(grid)', message: 'expands to 256 runs, more than GUIDANCE_MAX_RUNS = 200' }]);
    expect(byField.form).toBe('(grid) expands to 256 runs, more than GUIDANCE_MAX_RUNS = 200');
    expect(byField.scales).toBe('scales must not repeat a value');
    expect(byField.samplerSteps).toBe('sampler.steps must be a whole number from 1 to 4000');
    expect(byField.extra).toBe('model.hidden must be a whole number from 16 to 1024');
  });
});

describe('parseOverrides', () => {
  it('accepts a JSON object or nothing and names the field otherwise', () => {
    expect(parseOverrides('  ', 'overrides')).toEqual({ overrides: null, issue: null });
    expect(parseOverrides('{"seeds": [1]}', 'overrides')).toEqual({ overrides: { seeds: [1] }, issue: null });
    expect(parseOverrides('[1]', 'overrides').issue).toEqual({ field: 'overrides', message: 'is not a JSON object: it must be a JSON object' });
    expect(parseOverrides('{', 'overrides').issue?.field).toBe('overrides');
  });
});

describe('formFromQuery', () => {
  const fallback = specToForm(preset);
  it('restores an edited form and ignores what is not a form field', () => {
    const edited = { ...fallback, scales: '0, 2, 8', guidance: ['apg', 'none'] as GridForm['guidance'] };
    expect(formFromQuery(JSON.stringify({ ...edited, evil: 'x', samplesPerClass: 5 }), fallback)).toEqual({ ...edited, guidance: ['none', 'apg'] });
    expect(formFromQuery('{not json', fallback)).toEqual(fallback);
    expect(formFromQuery(null, fallback)).toEqual(fallback);
  });
});

describe('combineIssues', () => {
  it("keeps the form's parse error alone at its input and every other input's range errors", () => {
    const form = { ...specToForm(preset), scales: '1, x', seeds: '-1', guidance: [] };
    const { spec, issues } = formToSpec(form, preset);
    let checked: SpecIssue[] = [];
    try {
      parseSpec(spec);
    } catch (e) {
      checked = (e as SpecError).issues;
    }
    const byField = issuesByField(combineIssues(issues, checked));
    expect(byField.scales).toBe('scales must be a number (got "x")');
    expect(byField.seeds).toMatch(/^seeds\.0 /);
    // One message for no method, not the form's and the spec's.
    expect(byField.guidance?.split('; ')).toHaveLength(1);
  });
});

describe('issuesByField with another form', () => {
  it("groups by that form's inputs (the extend form's), naming each field once", () => {
    const inputOf = (field: string) => (field.startsWith('scales') ? 'scales' : 'form');
    const issue = { field: 'scales.1', message: 'already lists 3' };
    expect(issuesByField([issue, issue, { field: '(grid)', message: 'is too big' }], inputOf)).toEqual({ scales: 'scales.1 already lists 3', form: '(grid) is too big' });
  });
});
