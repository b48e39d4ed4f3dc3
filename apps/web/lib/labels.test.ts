import { describe, expect, it } from 'vitest';
import { placeLabels, type Box } from './labels';

const overlaps = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
const bounds = { x: 0, y: 0, w: 400, h: 300 };

describe('placeLabels', () => {
  it('puts a lone label above its point', () => {
    const [box] = placeLabels([{ x: 100, y: 100, text: 's=1' }], bounds);
    expect(box!.y + box!.h).toBeLessThan(100);
    expect(box!.x + box!.w / 2).toBeCloseTo(100, 10);
  });

  it('keeps labels of points squashed together apart: none overlaps another label or any point', () => {
    // Scale 10 squashes s = 0, 1, 2 into a few pixels (issue 12: "s=10=0s=1s=2").
    const requests = [0, 1, 2, 3].map((s) => ({ x: 200 + s * 3, y: 250 - s * 2, text: `s=${s}` }));
    const boxes = placeLabels(requests, bounds);
    const shown = boxes.filter((b): b is Box => b !== null);
    expect(shown.length).toBeGreaterThanOrEqual(3);
    for (const [i, a] of shown.entries()) for (const b of shown.slice(i + 1)) expect(overlaps(a, b)).toBe(false);
    for (const a of shown) for (const p of requests) expect(overlaps(a, { x: p.x - 5, y: p.y - 5, w: 10, h: 10 })).toBe(false);
  });

  it('keeps clear of larger point markers when asked', () => {
    const requests = [{ x: 100, y: 100, text: 's=1' }, { x: 100, y: 112, text: 's=2' }];
    const boxes = placeLabels(requests, bounds, 9);
    for (const b of boxes) for (const p of requests) expect(overlaps(b!, { x: p.x - 9, y: p.y - 9, w: 18, h: 18 })).toBe(false);
  });

  it('moves a label inside the plot at its edge and drops it when no spot is free', () => {
    const [top] = placeLabels([{ x: 100, y: 2, text: 's=4' }], bounds);
    expect(top!.y).toBeGreaterThanOrEqual(0);
    const crowd = Array.from({ length: 9 }, (_, i) => ({ x: 20 + (i % 3) * 2, y: 20 + Math.floor(i / 3) * 2, text: `s=${i}` }));
    const boxes = placeLabels(crowd, { x: 0, y: 0, w: 60, h: 60 });
    expect(boxes.some((b) => b === null)).toBe(true);
  });
});
