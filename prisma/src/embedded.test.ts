/**
 * The embedded PostgreSQL's own state, on real servers: a random superuser password kept 0600 in
 * the data directory (old postgres/postgres directories migrated), the same port on every start,
 * and a server left running by a process that died taken over and stopped.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { freePort, startEmbeddedPostgres } from './embedded';

let root: string;
let dataDir: string;
beforeAll(async () => {
  root = await mkdtemp('/tmp/guidance-lab-embedded-');
  await chmod(root, 0o755);
  dataDir = join(root, 'data');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

// Durable: a fast (not immediate) stop keeps what the tests change between starts.
const start = (port?: number) => startEmbeddedPostgres({ dataDir, port });

/** Whether `password` opens the superuser's session on the server behind `url`. */
async function accepts(url: string, password: string): Promise<boolean> {
  const u = new URL(url);
  u.password = password;
  u.pathname = '/postgres';
  const client = new pg.Client({ connectionString: u.href });
  return client.connect().then(
    async () => (await client.end(), true),
    () => false,
  );
}

const serverRunning = () => existsSync(join(dataDir, 'postmaster.pid'));

/** The pid of a process that has exited (what a crashed `npm start` leaves in the owner file). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((done) => child.once('exit', done));
  return child.pid!;
}

test('first start: a random superuser password, kept 0600 in the data directory and used thereafter; the default one is refused', async () => {
  const port = await freePort();
  const db = await start(port);
  const file = join(dataDir, 'guidance-password');
  const password = readFileSync(file, 'utf8').trim();
  expect(password).toMatch(/^[0-9a-f]{48}$/);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(new URL(db.url).password).toBe(password);
  expect(await accepts(db.url, password)).toBe(true);
  expect(await accepts(db.url, 'postgres')).toBe(false);
  await db.stop();
  expect(serverRunning()).toBe(false);

  // Restarted without a port: the one of the last start, and the same password.
  const again = await start();
  expect(new URL(again.url).port).toBe(String(port));
  expect(new URL(again.url).password).toBe(password);
  await again.stop();
});

test('a data directory from before (superuser postgres/postgres, no password file) is migrated to a random password', async () => {
  const db = await start();
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await client.query(`ALTER ROLE postgres PASSWORD 'postgres'`);
  await client.end();
  await db.stop();
  rmSync(join(dataDir, 'guidance-password'));

  const migrated = await start();
  const password = readFileSync(join(dataDir, 'guidance-password'), 'utf8').trim();
  expect(password).toMatch(/^[0-9a-f]{48}$/);
  expect(new URL(migrated.url).password).toBe(password);
  expect(await accepts(migrated.url, 'postgres')).toBe(false);
  expect(await accepts(migrated.url, password)).toBe(true);
  await migrated.stop();
});

test('a server left running by a process that died is taken over and stopped with us; one a live process owns is left to it', async () => {
  const first = await start();
  // The starting process "crashes": its server keeps running and the owner file names a dead pid.
  writeFileSync(join(dataDir, 'guidance-owner.pid'), `${await deadPid()}\n`);
  const takenOver = await start();
  expect(takenOver.url).toBe(first.url);
  await takenOver.stop();
  expect(serverRunning()).toBe(false);

  const owned = await start();
  const owner = spawn('sleep', ['30']);
  try {
    writeFileSync(join(dataDir, 'guidance-owner.pid'), `${owner.pid}\n`);
    const guest = await start();
    await guest.stop();
    expect(serverRunning()).toBe(true);
  } finally {
    owner.kill();
    writeFileSync(join(dataDir, 'guidance-owner.pid'), `${process.pid}\n`);
    await owned.stop();
  }
  expect(serverRunning()).toBe(false);
});

test('a stale pid file whose pid is alive but no server answers (a killed server, its pid reused) is not taken for a server: a new one starts', async () => {
  const first = await start();
  const pidFile = join(dataDir, 'postmaster.pid');
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  await first.stop();
  // What a SIGKILLed server leaves behind, with its pid now some other live process's.
  const stranger = spawn('sleep', ['30']);
  try {
    lines[0] = String(stranger.pid);
    writeFileSync(pidFile, lines.join('\n'));
    const db = await start();
    expect(await accepts(db.url, new URL(db.url).password)).toBe(true);
    await db.stop();
  } finally {
    stranger.kill();
  }
  expect(serverRunning()).toBe(false);
});
