/**
 * A worker in its own process (`npm start`, and tests that need to SIGKILL one). One node process,
 * tsx loaded with --import (not the tsx CLI, which would fork a second process a signal would miss).
 * An IPC channel ties it to its parent: when the parent dies, even by SIGKILL, the channel closes
 * and the worker stops in order (main.ts), so no worker outlives the `npm start` that made it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export function spawnWorkerProcess(databaseUrl: string, options: { env?: Record<string, string>; stdio?: 'inherit' | 'pipe' } = {}): ChildProcess {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, MAIN], {
    env: { ...process.env, ...options.env, DATABASE_URL: databaseUrl },
    stdio: ['ignore', options.stdio ?? 'inherit', options.stdio ?? 'inherit', 'ipc'],
  });
  child.channel?.unref(); // the channel alone never keeps the parent alive
  return child;
}
