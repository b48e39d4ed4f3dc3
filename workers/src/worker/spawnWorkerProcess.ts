/**
 * A worker in its own process (`npm start`, and tests that need to SIGKILL one). One node process,
 * tsx loaded with --import (not the tsx CLI, which would fork a second process a signal would miss).
 * An IPC channel ties it to its parent: when the parent dies, even by SIGKILL, the channel closes
 * and the worker stops in order (main.ts), so no worker outlives the `npm start` that made it.
 * It runs at a lower CPU priority than its parent (GUIDANCE_WORKER_NICE more niceness, default 10):
 * on one machine the API and dashboard must stay quick while the worker computes; a worker on a
 * machine of its own (`npm run worker`) is not spawned here and keeps full priority.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { getPriority, setPriority } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { intSetting } from '@guidance-lab/db';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export function spawnWorkerProcess(databaseUrl: string, options: { env?: Record<string, string>; stdio?: 'inherit' | 'pipe' } = {}): ChildProcess {
  const niceness = workerNiceness(options.env?.GUIDANCE_WORKER_NICE ?? process.env.GUIDANCE_WORKER_NICE);
  const child = spawn(process.execPath, ['--import', TSX_LOADER, MAIN], {
    env: { ...process.env, ...options.env, DATABASE_URL: databaseUrl },
    stdio: ['ignore', options.stdio ?? 'inherit', options.stdio ?? 'inherit', 'ipc'],
  });
  child.channel?.unref(); // the channel alone never keeps the parent alive
  if (child.pid !== undefined) {
    try {
      setPriority(child.pid, Math.min(19, getPriority() + niceness));
    } catch {
      // Not permitted here (some containers): the worker runs at the parent's priority.
    }
  }
  return child;
}

/** GUIDANCE_WORKER_NICE, the worker's niceness above its parent's: 0–19 (default 10); anything else is refused with the allowed range. */
export const workerNiceness = (value: string | undefined): number => intSetting('GUIDANCE_WORKER_NICE', value, 10, 0, 19);
