/**
 * A worker in its own process (`npm start`, and tests that need to SIGKILL one). One node process,
 * tsx loaded with --import (not the tsx CLI, which would fork a second process a signal would miss).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export function spawnWorkerProcess(databaseUrl: string, options: { env?: Record<string, string>; stdio?: 'inherit' | 'pipe' } = {}): ChildProcess {
  return spawn(process.execPath, ['--import', TSX_LOADER, MAIN], {
    env: { ...process.env, ...options.env, DATABASE_URL: databaseUrl },
    stdio: ['ignore', options.stdio ?? 'inherit', options.stdio ?? 'inherit'],
    // Its own process group: a terminal's Ctrl-C reaches only the parent, which then stops the
    // worker once (a second signal would make the worker exit without putting its job back).
    detached: true,
  });
}
