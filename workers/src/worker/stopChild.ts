/** Stops a child process: SIGTERM, then SIGKILL if it is still there after `graceMs` (a step that never yields). */
import type { ChildProcess } from 'node:child_process';

export const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((done) => child.once('exit', () => done()));

export async function stopChild(child: ChildProcess, graceMs: number, log: (message: string) => void): Promise<void> {
  const gone = exited(child);
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    log(`pid ${child.pid} did not stop within ${graceMs / 1000} s; killing it`);
    child.kill('SIGKILL');
  }, graceMs);
  await gone;
  clearTimeout(timer);
}
