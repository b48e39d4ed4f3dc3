import { describe, expect, it } from 'vitest';
import { loadMnist, mnistDigits } from './mnist';

describe('mnist', () => {
  it('loads 10,000 digits of 10 classes with pixels in [−1, 1]', () => {
    const all = mnistDigits();
    expect(all.y.length).toBe(10_000);
    expect(all.x.length).toBe(10_000 * 784);
    expect(all.shape).toEqual([28, 28, 1]);
    const counts = Array.from({ length: 10 }, (_, c) => all.y.filter((l) => l === c).length);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(863);
    expect(Math.max(...counts)).toBeLessThanOrEqual(1127);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of all.x) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    expect([lo, hi]).toEqual([-1, expect.closeTo(1, 2)]);
  });

  it('splits testPerClass per class, deterministically by seed', () => {
    const a = loadMnist({ testPerClass: 50, seed: 1 });
    expect(a.test.y.length).toBe(500);
    expect(a.train.y.length).toBe(9500);
    for (let c = 0; c < 10; c++) expect(a.test.y.filter((l) => l === c).length).toBe(50);
    expect(a.train.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    const b = loadMnist({ testPerClass: 50, seed: 1 });
    expect(Buffer.from(b.test.x.buffer).equals(Buffer.from(a.test.x.buffer))).toBe(true);
    expect(loadMnist({ testPerClass: 50, seed: 2 }).test.y).not.toEqual(a.test.y);
  });
});
