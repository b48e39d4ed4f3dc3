/**
 * End-to-end rows (`npm run bench -- --e2e`): the wall time of whole quick presets — training every
 * model, sampling the grid, scoring — through `npm run sweep` in a child process, single run each.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PRESETS_DIR } from '@guidance-lab/experiments';

const SWEEP = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'sweep.ts');
const TSX = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'node_modules', '.bin', 'tsx');

/** The presets timed end to end: the toy one and one quick MNIST study. */
export const E2E_PRESETS = ['toy2d-tradeoff', 'mnist-comparison'] as const;

/** Wall-clock ms of `npm run sweep -- <preset> --quick` into a fresh folder (removed after). */
export function timePreset(name: string): number {
  const out = mkdtempSync(join(tmpdir(), `bench-e2e-${name}-`));
  try {
    const start = performance.now();
    const r = spawnSync(TSX, [SWEEP, join(PRESETS_DIR, `${name}.json`), '--quick', '--out', out], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) throw new Error(`sweep of preset ${name} failed (exit ${r.status ?? r.signal})`);
    return performance.now() - start;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
