/** The wait for a just-killed server's pid before a restart (chaos: a restart 2 s after a SIGKILL failed on the lock file). */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { waitForDeadServer } from './embedded';

const dir = mkdtempSync(join(tmpdir(), 'guidance-lab-deadserver-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Running, not exited (an exited child may wait a moment as a zombie until Node reaps it). */
const running = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

/** A process whose command name is `name` that lives `seconds` (a copy of sleep). */
function fake(name: string, seconds: number) {
  const bin = join(dir, name);
  if (!existsSync(bin)) copyFileSync('/bin/sleep', bin);
  return spawn(bin, [String(seconds)], { stdio: 'ignore' });
}

test.skipIf(process.platform !== 'linux')('waits until a postgres process named in postmaster.pid has gone, and not for a pid now some other program’s', async () => {
  const pidFile = join(dir, 'postmaster.pid');
  const dying = fake('postgres', 1);
  writeFileSync(pidFile, `${dying.pid}\n/data\n0\n5432\n`);
  await waitForDeadServer(dir);
  expect(running(dying.pid!)).toBe(false);

  const stranger = fake('sleep-other', 30);
  try {
    writeFileSync(pidFile, `${stranger.pid}\n/data\n0\n5432\n`);
    await waitForDeadServer(dir);
    expect(running(stranger.pid!)).toBe(true); // returned at once: not a postgres process
  } finally {
    stranger.kill();
  }
});
