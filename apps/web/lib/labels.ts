/**
 * Point labels that do not collide: each label tries a few spots around its point (above first)
 * and takes the first that overlaps no label already placed, no point and stays inside the plot;
 * a label with no free spot is left out (its point still names itself on hover and focus).
 * Greedy in the order given, so callers put the labels that matter most first.
 */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface LabelRequest {
  /** The point's pixel position. */
  x: number;
  y: number;
  text: string;
}

/** Approximate text box of an 11 px sans-serif label. */
const CHAR_W = 6.2;
const TEXT_H = 12;
/** Where a label may sit, relative to its point: above, right, below, left, then the diagonals. */
const SPOTS: [number, number][] = [[0, -1], [1, 0], [0, 1], [-1, 0], [1, -1], [1, 1], [-1, 1], [-1, -1]];

const overlaps = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** One box per request (top-left corner, size), or null where no spot is free. */
export function placeLabels(requests: LabelRequest[], bounds: Box, pointRadius = 5): (Box | null)[] {
  const points: Box[] = requests.map((p) => ({ x: p.x - pointRadius, y: p.y - pointRadius, w: 2 * pointRadius, h: 2 * pointRadius }));
  const placed: Box[] = [];
  // Clear of the label's own point.
  const gap = pointRadius + 2;
  return requests.map((r) => {
    const w = r.text.length * CHAR_W;
    for (const [dx, dy] of SPOTS) {
      const cx = r.x + dx * (gap + w / 2);
      const cy = r.y + dy * (gap + TEXT_H / 2);
      const box = { x: cx - w / 2, y: cy - TEXT_H / 2, w, h: TEXT_H };
      const inside = box.x >= bounds.x && box.y >= bounds.y && box.x + box.w <= bounds.x + bounds.w && box.y + box.h <= bounds.y + bounds.h;
      if (inside && !placed.some((b) => overlaps(b, box)) && !points.some((b) => overlaps(b, box))) {
        placed.push(box);
        return box;
      }
    }
    return null;
  });
}
