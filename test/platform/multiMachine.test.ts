/**
 * The several-machines setup of docs/operations.md, as far as one host can show it: one
 * PostgreSQL, the API, and two `npm run worker` processes started exactly as on another machine —
 * their own OS processes (npm → tsx → node), their own HOME and TMPDIR, a different working
 * directory, and nothing from this process but the DATABASE_URL (a TCP URL with host, port,
 * user and password). A small real sweep completes and every model and run is done exactly once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launch, startStack, TEST_WORKER_ENV, tinySpec, waitFor, waitForEmptyQueue, waitForSweep, type Stack } from './stack';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

interface RemoteWorker {
  child: ChildProcess;
  output(): string;
  home: string;
}

let stack: Stack;
const remotes: RemoteWorker[] = [];

/** `npm run worker` with only what another machine would have: the repository, PATH, and the URL. */
async function startRemoteWorker(databaseUrl: string): Promise<RemoteWorker> {
  const home = await mkdtemp(join(tmpdir(), 'guidance-lab-remote-'));
  const child = spawn('npm', ['--prefix', REPO, 'run', 'worker'], {
    cwd: home,
    env: { PATH: process.env.PATH ?? '', HOME: home, TMPDIR: home, npm_config_update_notifier: 'false', DATABASE_URL: databaseUrl, ...TEST_WORKER_ENV },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group: stopping it reaches npm, tsx and node alike
  });
  let text = '';
  child.stdout?.on('data', (chunk) => (text += chunk));
  child.stderr?.on('data', (chunk) => (text += chunk));
  const remote = { child, output: () => text, home };
  remotes.push(remote);
  return remote;
}

async function stopRemoteWorker({ child, home }: RemoteWorker): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const gone = new Promise((done) => child.once('exit', done));
    process.kill(-child.pid!, 'SIGTERM');
    await gone;
  }
  await rm(home, { recursive: true, force: true });
}

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await Promise.all(remotes.map(stopRemoteWorker));
  await stack?.stop();
});

test('two `npm run worker` processes joined only by a TCP DATABASE_URL complete a sweep, each model and run done exactly once', { timeout: 300_000 }, async () => {
  const url = new URL(stack.databaseUrl);
  // What a remote machine is given: a TCP address (no Unix socket), a user and a password.
  expect(url.protocol).toBe('postgresql:');
  expect(url.hostname).toBe('127.0.0.1');
  expect(Number(url.port)).toBeGreaterThan(0);
  expect(url.username && url.password).toBeTruthy();

  const [a, b] = [await startRemoteWorker(stack.databaseUrl), await startRemoteWorker(stack.databaseUrl)];
  const ids = await Promise.all(
    [a, b].map((w) => waitFor('a remote worker to start', async () => /worker (\S+) running on backend/.exec(w.output())?.[1], 120_000)),
  );
  // The API (machine A) sees both, by the rows they keep in the database.
  const { workers } = await stack.gql<{ workers: { id: string; pid: number; alive: boolean }[] }>('{ workers { id pid alive } }');
  expect(workers.filter((w) => ids.includes(w.id) && w.alive)).toHaveLength(2);
  expect(new Set(workers.map((w) => w.pid)).size).toBe(workers.length);

  const id = await launch(stack, tinySpec({ name: 'two machines', dataset: { kind: 'toy2d', classes: 3, modesPerClass: 2, trainSize: 600, testSize: 300, seed: 31 }, pUncond: [0.2, 0.5] }));
  await waitForSweep(stack, id, 'succeeded');

  const models = await stack.prisma.model.findMany({ where: { sweeps: { some: { sweepId: id } } } });
  const runs = await stack.prisma.run.findMany({ where: { sweepId: id }, include: { _count: { select: { metrics: true } }, grid: { select: { id: true } } } });
  expect(models).toHaveLength(3);
  expect(runs).toHaveLength(6);
  const logs = a.output() + b.output();
  const lines = (fragment: string) => logs.split('\n').filter((line) => line.includes(fragment)).length;
  for (const m of models) {
    expect(m).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(lines(`train:${m.key}: trained`)).toBe(1);
  }
  for (const r of runs) {
    expect(r).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(r._count.metrics).toBe(8);
    expect(r.grid).not.toBeNull();
    expect(logs.split('\n').filter((line) => line.includes(`run:${r.id}: `) && line.includes('→ fid'))).toHaveLength(1);
  }
  await waitForEmptyQueue(stack);
  console.log(ids.map((w) => `${w}: ${models.filter((m) => m.workerId === w).length} models, ${runs.filter((r) => r.workerId === w).length} runs`).join('; '));
});
