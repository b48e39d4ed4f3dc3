/** Guidance scales are finite and ≥ 0 (the spec allows 0 to 100). */
export function checkScale(scale: number): void {
  if (!Number.isFinite(scale) || scale < 0) throw new Error(`guidance scale must be a finite number ≥ 0, got ${scale}`);
}
