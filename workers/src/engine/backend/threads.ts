import os from 'node:os';

/**
 * Threads this process's compute may use (the wasm build's pool, onnxruntime's intra-op pool):
 * GUIDANCE_THREADS, or every core. A sweep that runs several jobs at once gives each its share.
 */
export function engineThreads(): number {
  const cores = os.availableParallelism();
  const raw = process.env.GUIDANCE_THREADS;
  if (raw === undefined || raw === '') return cores;
  return checkThreads(Number(raw), 'GUIDANCE_THREADS', `'${raw}'`);
}

/** `threads` if it is a whole number from 1 to 256; else an error naming `what`. */
export function checkThreads(threads: number, what: string, shown: string = String(threads)): number {
  if (!Number.isInteger(threads) || threads < 1 || threads > 256) throw new Error(`${what} must be a whole number from 1 to 256, got ${shown}`);
  return threads;
}
