/**
 * `npm start` supervising its worker, as a real process tree on a real PostgreSQL: a dead worker is
 * restarted, Ctrl-C escalates to SIGKILL for a worker that does not stop, and a SIGKILLed
 * `npm start` leaves no worker behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createPrisma, freePort, startTestDatabase, type PrismaClient, type TestDatabase } from '@guidance-lab/db';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { TEST_WORKER_ENV, waitFor } from './stack';

const START = fileURLToPath(new URL('../../scripts/start.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

let db: TestDatabase;
let prisma: PrismaClient;
const started: ChildProcess[] = [];

beforeAll(async () => {
  db = await startTestDatabase();
  prisma = createPrisma(db.url);
});
afterAll(async () => {
  for (const p of started) p.kill('SIGKILL');
  await prisma?.$disconnect();
  await db?.stop();
});

/** `npm start` (one node process) on the test database, without the dashboard. */
async function npmStart() {
  const child = spawn(process.execPath, ['--import', TSX, START], {
    env: { ...process.env, ...TEST_WORKER_ENV, DATABASE_URL: db.url, GUIDANCE_NO_WEB: '1', GUIDANCE_API_PORT: String(await freePort()), GUIDANCE_STOP_GRACE_MS: '2000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let text = '';
  child.stdout.on('data', (chunk) => (text += chunk));
  child.stderr.on('data', (chunk) => (text += chunk));
  const exit = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, output: () => text, exit };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The pid of a registered worker other than `not`. */
const workerPid = (not?: number) =>
  waitFor('a worker to register', async () => (await prisma.worker.findFirst({ where: not ? { pid: { not } } : {} }))?.pid, 240_000);

// A worker takes seconds to start on a busy machine; these tests start three.
const SLOW = 600_000;

test('a worker that dies is restarted; on Ctrl-C a worker that does not stop is killed after the grace period', { timeout: SLOW }, async () => {
  const start = await npmStart();
  const first = await workerPid();
  process.kill(first, 'SIGKILL');
  const second = await workerPid(first);
  expect(second).not.toBe(first);
  expect(start.output()).toMatch(new RegExp(`worker \\(pid ${first}\\) exited \\(SIGKILL\\); restarting in 1 s`));

  // Frozen (as if inside a step that never yields): SIGTERM cannot be handled, SIGKILL follows.
  process.kill(second, 'SIGSTOP');
  start.child.kill('SIGINT');
  expect(await start.exit).toBe(0);
  expect(start.output()).toContain(`pid ${second} did not stop within 2 s; killing it`);
  expect(alive(second)).toBe(false);
});

test('a SIGKILLed `npm start` leaves no worker running: the worker notices and stops in order', { timeout: SLOW }, async () => {
  await prisma.worker.deleteMany();
  const start = await npmStart();
  const pid = await workerPid();
  start.child.kill('SIGKILL');
  await start.exit;
  await waitFor('the orphaned worker to exit', async () => !alive(pid));
  // An orderly stop, not a crash: it removed its own Worker row.
  expect(await prisma.worker.count({ where: { pid } })).toBe(0);
});
