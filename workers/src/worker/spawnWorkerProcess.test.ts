import { getPriority } from 'node:os';
import { describe, expect, it } from 'vitest';
import { spawnWorkerProcess, workerNiceness } from './spawnWorkerProcess';
import { exited } from './stopChild';

describe('spawnWorkerProcess', () => {
  it('reads GUIDANCE_WORKER_NICE as 0–19, default 10, and names the range otherwise', () => {
    expect(workerNiceness(undefined)).toBe(10);
    expect(workerNiceness('')).toBe(10);
    expect(workerNiceness('0')).toBe(0);
    expect(workerNiceness('19')).toBe(19);
    for (const bad of ['-1', '20', '2.5', 'low']) expect(() => workerNiceness(bad)).toThrow(/GUIDANCE_WORKER_NICE must be a whole number from 0 to 19/);
  });

  it('starts the worker below its parent’s CPU priority, so the API on the same machine stays quick', async () => {
    // No database answers at this URL: the worker waits for one, which is all this test needs.
    const child = spawnWorkerProcess('postgres://nobody:nothing@127.0.0.1:1/none', { stdio: 'pipe', env: { GUIDANCE_WORKER_NICE: '7' } });
    try {
      expect(getPriority(child.pid!)).toBe(Math.min(19, getPriority() + 7));
    } finally {
      child.kill('SIGKILL');
      await exited(child);
    }
  });
});
