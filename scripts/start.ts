/**
 * `npm start`: the whole platform on one machine — PostgreSQL (embedded unless DATABASE_URL), the
 * GraphQL API, one worker (a child process, so training never stalls the API) and the dashboard.
 * Ctrl-C stops everything; the data stays in data/postgres for the next start.
 * Env: GUIDANCE_API_PORT (4000), GUIDANCE_WEB_PORT (3000), GUIDANCE_NO_WORKER=1, GUIDANCE_NO_WEB=1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApiServer } from '@guidance-lab/api';
import { createPrisma, resolveDatabase } from '@guidance-lab/db';
import { onShutdownSignal } from '../workers/src/worker/onShutdownSignal';
import { spawnWorkerProcess } from '../workers/src/worker/spawnWorkerProcess';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WEB = join(ROOT, 'apps/web');

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw ? Number(raw) : fallback;
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`${name} must be a port from 1 to 65535 (got "${raw}")`);
  return value;
}

/** Newest modification time under `dir`, skipping build output and dependencies. */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === '.next' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function hasNextApp(): boolean {
  return ['app', 'src/app', 'pages', 'src/pages'].some((d) => existsSync(join(WEB, d)));
}

/** The dashboard needs a build when there is none or its sources (or the shared spec package) changed since. */
function needsBuild(): boolean {
  const buildId = join(WEB, '.next/BUILD_ID');
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  return newestMtime(WEB) > built || newestMtime(join(ROOT, 'experiments/src')) > built;
}

function runNext(args: string[], env: Record<string, string>): ChildProcess {
  const nextBin = createRequire(join(WEB, 'package.json')).resolve('next/dist/bin/next');
  return spawn(process.execPath, [nextBin, ...args], { cwd: WEB, env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env }, stdio: 'inherit' });
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

const children: ChildProcess[] = [];
const stops: (() => Promise<void>)[] = [];

/** Children first (the worker puts its job back), then the API, then the database: reverse start order. */
let stopping: Promise<void> | undefined;
function stopAll(): Promise<void> {
  return (stopping ??= (async () => {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map(exited));
    for (const stop of stops.reverse()) await stop().catch((error) => console.error(String(error)));
  })());
}

async function shutdown(): Promise<void> {
  console.log('\nstopping…');
  await stopAll();
  console.log('stopped; the data stays for the next `npm start`');
}
onShutdownSignal(shutdown);

try {
  const apiPort = port('GUIDANCE_API_PORT', 4000);
  const webPort = port('GUIDANCE_WEB_PORT', 3000);

  const database = await resolveDatabase();
  stops.push(database.stop);
  console.log(`database   ${database.embedded ? 'embedded PostgreSQL' : 'DATABASE_URL'}: ${database.url}`);

  const prisma = createPrisma(database.url);
  stops.push(() => prisma.$disconnect());
  const api = await createApiServer({ prisma, databaseUrl: database.url, port: apiPort });
  stops.push(api.stop);
  console.log(`API        ${api.url}`);

  if (process.env.GUIDANCE_NO_WORKER !== '1') {
    const worker = spawnWorkerProcess(database.url);
    children.push(worker);
    // A worker that dies on its own leaves the queue unserved: say so rather than look healthy.
    worker.once('exit', (code) => code !== 0 && console.error(`worker exited (code ${code}); restart with \`npm start\` or \`DATABASE_URL=${database.url} npm run worker\``));
  }

  if (process.env.GUIDANCE_NO_WEB === '1') {
    console.log('dashboard  skipped (GUIDANCE_NO_WEB=1)');
  } else if (!hasNextApp()) {
    console.log('dashboard  skipped: apps/web has no Next.js app yet');
  } else {
    const env = { NEXT_PUBLIC_API_URL: api.url, API_URL: api.url };
    if (needsBuild()) {
      console.log('dashboard  building (next build)…');
      const build = runNext(['build'], env);
      children.push(build); // so Ctrl-C during the build stops it too
      const code = await exited(build);
      children.splice(children.indexOf(build), 1);
      if (code !== 0) throw new Error(`next build failed (exit code ${code})`);
    }
    const web = runNext(['start', '-p', String(webPort)], env);
    children.push(web);
    console.log(`dashboard  http://localhost:${webPort}`);
  }
  console.log('Ctrl-C stops everything.');
} catch (error) {
  console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
  await stopAll();
  process.exit(1);
}
