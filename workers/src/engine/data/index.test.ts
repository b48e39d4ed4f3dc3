import { DatasetSpec } from '@guidance-lab/experiments';
import { describe, expect, it } from 'vitest';
import { loadDataset } from './index';

describe('loadDataset', () => {
  it('dispatches on spec.kind', () => {
    const mnist = loadDataset(DatasetSpec.parse({ kind: 'mnist', testPerClass: 10 }));
    expect([mnist.name, mnist.test.y.length, mnist.train.shape]).toEqual(['mnist', 100, [28, 28, 1]]);
    const toy = loadDataset(DatasetSpec.parse({ kind: 'toy2d', classes: 3, trainSize: 300, testSize: 200 }));
    expect([toy.train.shape, toy.train.classes, toy.test.y.length]).toEqual([[2], 3, 200]);
  });
});
