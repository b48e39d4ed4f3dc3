import { describe, expect, it } from 'vitest';
import { heldOutHalves } from './scoring';

describe('heldOutHalves', () => {
  it('splits each class alternately into disjoint reference and pool halves, the pool class by class', () => {
    const y = Int32Array.from([2, 0, 0, 1, 2, 0, 1, 0, 2]);
    const test = { shape: [2], x: new Float32Array(18), y, classes: 3, classNames: ['0', '1', '2'] };
    const { reference, pool } = heldOutHalves(test);
    // Class 0 at rows 1, 2, 5, 7 → reference 1, 5; pool 2, 7. Class 1 at 3, 6 → 3 | 6. Class 2 at 0, 4, 8 → 0, 8 | 4.
    expect([...reference]).toEqual([0, 1, 3, 5, 8]);
    expect([...pool]).toEqual([2, 7, 6, 4]);
  });
});
