/**
 * Small seeded randomness shared by the engine (no Math.random anywhere): mulberry32 for uniforms,
 * Box–Muller for normals, and a 32-bit hash that turns a tuple such as (seed, sample, step) into an
 * independent stream, so a draw depends on exactly the parts it is keyed by.
 */

/** mulberry32: a fast 32-bit PRNG with a full 2^32 period; returns uniforms in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes integers into one 32-bit seed (murmur3-style finaliser after each part). */
export function hashSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    if (!Number.isInteger(part)) throw new Error(`hashSeed: parts must be integers, got ${part}`);
    // Split so that values beyond 32 bits (e.g. 2^31 − 1 seeds times indices) still all count.
    for (const word of [part >>> 0, Math.floor(part / 4294967296) >>> 0]) {
      h = Math.imul(h ^ word, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
    }
  }
  return h >>> 0;
}

/** Fills `out` with independent standard normals from `rand` (Box–Muller, both outputs used). */
export function fillNormal(out: Float32Array | Float64Array, rand: () => number, offset = 0, count = out.length - offset): void {
  for (let i = 0; i < count; i += 2) {
    const u1 = 1 - rand(); // (0, 1]: log stays finite
    const r = Math.sqrt(-2 * Math.log(u1));
    const theta = 2 * Math.PI * rand();
    out[offset + i] = r * Math.cos(theta);
    if (i + 1 < count) out[offset + i + 1] = r * Math.sin(theta);
  }
}

/** One standard normal at a time from `rand`. */
export function normal(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** The first m entries of a uniform random permutation of 0..n−1 (partial Fisher–Yates). */
export function sampleIndices(n: number, m: number, rand: () => number): Int32Array {
  if (!Number.isInteger(m) || m < 0 || m > n) throw new Error(`sampleIndices: m must be a whole number from 0 to n (${n}), got ${m}`);
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = 0; i < m; i++) {
    const j = i + Math.floor(rand() * (n - i));
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  return perm.slice(0, m);
}
