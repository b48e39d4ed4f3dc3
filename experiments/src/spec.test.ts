import { describe, expect, it } from 'vitest';
import { parseSpec, SpecError } from './spec';

const minimal = { dataset: { kind: 'toy2d' }, guidance: ['classifier-free'], scales: [0, 1, 3] };

function issuesOf(input: unknown) {
  try {
    parseSpec(input);
  } catch (error) {
    expect(error).toBeInstanceOf(SpecError);
    return (error as SpecError).issues;
  }
  throw new Error('spec was accepted');
}

describe('sweep spec', () => {
  it('fills defaults from the papers', () => {
    const spec = parseSpec(minimal);
    expect(spec.schedule).toEqual({ kind: 'linear', T: 1000 });
    expect(spec.sampler).toEqual({ kind: 'ddim', steps: 50, eta: 0 });
    expect(spec.pUncond).toEqual([0.1]);
    expect(spec.dataset).toMatchObject({ kind: 'toy2d', classes: 4 });
  });

  it('names the field and the allowed range of every bad value', () => {
    const issues = issuesOf({
      dataset: { kind: 'toy2d', classes: 99 },
      guidance: ['classifier-free', 'clip'],
      scales: [-1],
      pUncond: [0.1, 1.5],
      sampler: { kind: 'ddim', steps: 0, eta: 2 },
    });
    const byField = Object.fromEntries(issues.map((i) => [i.field, i.message]));
    expect(byField['dataset.classes']).toBe('must be a whole number from 2 to 10');
    expect(byField['guidance.1']).toBe('must be one of: none, classifier, classifier-free');
    expect(byField['scales.0']).toBe('must be a number from 0 to 100');
    expect(byField['pUncond.1']).toBe('must be a number from 0 to 1');
    expect(byField['sampler.steps']).toBe('must be a whole number from 1 to 4000');
    expect(byField['sampler.eta']).toBe('must be a number from 0 to 1');
  });

  it('rejects unknown datasets, unknown fields, repeats and impossible combinations', () => {
    expect(issuesOf({ ...minimal, dataset: { kind: 'cifar' } })).toEqual([
      { field: 'dataset.kind', message: 'must be one of: toy2d, mnist, idx, folder' },
    ]);
    expect(issuesOf({ ...minimal, scale: [1] })).toEqual([{ field: '(spec)', message: 'has unknown field(s): scale' }]);
    expect(issuesOf({ ...minimal, scales: [1, 1] })).toEqual([{ field: 'scales', message: 'must not repeat a value' }]);
    expect(issuesOf({ ...minimal, schedule: { T: 100 }, sampler: { steps: 200 } })).toEqual([
      { field: 'sampler.steps', message: 'must be a whole number from 1 to schedule.T (100)' },
    ]);
    expect(issuesOf({ ...minimal, pUncond: [1] })[0].field).toBe('pUncond');
    expect(issuesOf({ ...minimal, scales: [] })[0]).toEqual({ field: 'scales', message: 'must list at least one value (at most 64)' });
  });

  it('takes model.patch, classifier.patch, model.classMap and training.minSnrGamma only when given, and names their ranges', () => {
    const spec = parseSpec(minimal);
    expect('patch' in spec.model).toBe(false); // absent fields keep existing specs' content hashes
    expect('minSnrGamma' in spec.training).toBe(false);
    expect('patch' in spec.classifier || 'patch' in spec.evaluator).toBe(false);
    const given = parseSpec({ ...minimal, model: { patch: 2 }, training: { minSnrGamma: 5 } });
    expect([given.model.patch, given.training.minSnrGamma]).toEqual([2, 5]);
    expect(parseSpec({ ...minimal, classifier: { patch: 2 }, evaluator: { patch: 4 } })).toMatchObject({ classifier: { patch: 2 }, evaluator: { patch: 4 } });
    expect('classMap' in spec.model).toBe(false);
    expect(parseSpec({ ...minimal, model: { classMap: true } }).model.classMap).toBe(true);
    const byField = Object.fromEntries(issuesOf({ ...minimal, model: { patch: 3, classMap: 'yes' }, classifier: { patch: 8 }, training: { minSnrGamma: 0 } }).map((i) => [i.field, i.message]));
    expect(byField['model.patch']).toBe('must be 1, 2 or 4');
    expect(byField['classifier.patch']).toBe('must be 1, 2 or 4');
    expect(byField['model.classMap']).toBe('must be true or false');
    expect(byField['training.minSnrGamma']).toBe('must be a number from 0.1 to 1000');
  });

  it('takes training.snrFloor only with training.maxLossWeight, and names their ranges', () => {
    expect('snrFloor' in parseSpec(minimal).training).toBe(false);
    const given = parseSpec({ ...minimal, training: { minSnrGamma: 5, snrFloor: 3, maxLossWeight: 30 } });
    expect([given.training.snrFloor, given.training.maxLossWeight]).toEqual([3, 30]);
    expect(issuesOf({ ...minimal, training: { snrFloor: 3 } })).toEqual([
      { field: 'training.maxLossWeight', message: 'must be given with training.snrFloor and training.maxLossWeight together: the floor λ/SNR_t grows without bound as t → T' },
    ]);
    expect(issuesOf({ ...minimal, training: { maxLossWeight: 30 } })[0].field).toBe('training.snrFloor');
    const byField = Object.fromEntries(issuesOf({ ...minimal, training: { snrFloor: 0, maxLossWeight: 0.5 } }).map((i) => [i.field, i.message]));
    expect(byField['training.snrFloor']).toBe('must be a number from 0.01 to 100');
    expect(byField['training.maxLossWeight']).toBe('must be a number from 1 to 10000');
  });

  it('refuses NUL characters in stored text, naming the field', () => {
    expect(issuesOf({ ...minimal, name: 'a\u0000b' })).toEqual([{ field: 'name', message: 'must not contain NUL characters (\\u0000)' }]);
    expect(issuesOf({ ...minimal, description: '\u0000' })[0].field).toBe('description');
    expect(issuesOf({ ...minimal, dataset: { kind: 'idx', images: 'a\u0000', labels: 'b' } })[0].field).toBe('dataset.images');
    expect(issuesOf({ ...minimal, dataset: { kind: 'folder', path: '\u0000' } })[0].field).toBe('dataset.path');
  });

  it('refuses too few samples for Inception Score’s 10 splits, naming the minimum for the dataset', () => {
    expect(issuesOf({ ...minimal, samplesPerClass: 2 })).toEqual([
      { field: 'samplesPerClass', message: 'must be at least 3 here: Inception Score needs 10 samples or more over the 4 classes (and at most 10000)' },
    ]);
    expect(parseSpec({ ...minimal, samplesPerClass: 3 }).samplesPerClass).toBe(3);
    expect(issuesOf({ ...minimal, dataset: { kind: 'toy2d', classes: 2 }, samplesPerClass: 4 })[0].message).toMatch(/at least 5 here/);
    expect(parseSpec({ ...minimal, dataset: { kind: 'mnist' }, samplesPerClass: 1 }).samplesPerClass).toBe(1);
    expect(issuesOf({ ...minimal, dataset: { kind: 'folder', path: 'x' }, samplesPerClass: 4 })[0].message).toMatch(/at least 5 here: .* over the 2 \(or more\) classes/);
  });
});
