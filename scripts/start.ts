/**
 * `npm start`: the whole platform on one machine — PostgreSQL (embedded unless DATABASE_URL), the
 * GraphQL API, one worker (a child process, so training never stalls the API; restarted with
 * back-off when it dies) and the dashboard. Ctrl-C stops everything: children get SIGTERM, then
 * SIGKILL after GUIDANCE_STOP_GRACE_MS; the data stays in data/postgres for the next start.
 * Children die with us even when we are SIGKILLed (the worker watches its IPC channel).
 * Env: GUIDANCE_API_PORT (4000), GUIDANCE_WEB_PORT (3000), GUIDANCE_NO_WORKER=1, GUIDANCE_NO_WEB=1,
 * GUIDANCE_STOP_GRACE_MS (20000).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApiServer } from '@guidance-lab/api';
import { createPrisma, envInt, resolveDatabase } from '@guidance-lab/db';
import { onShutdownSignal } from '../workers/src/worker/onShutdownSignal';
import { exited, stopChild } from '../workers/src/worker/stopChild';
import { superviseWorker } from '../workers/src/worker/superviseWorker';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WEB = join(ROOT, 'apps/web');

const port = (name: string, fallback: number) => envInt(name, fallback, 1, 65535, 'a port');

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

let graceMs = 20_000;
const children: ChildProcess[] = [];
const stops: (() => Promise<void>)[] = [];

/** Children first (the worker puts its job back), then the API, then the database: reverse start order. */
let stopping: Promise<void> | undefined;
function stopAll(): Promise<void> {
  return (stopping ??= (async () => {
    await Promise.all(children.map((child) => stopChild(child, graceMs, console.error)));
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
  graceMs = envInt('GUIDANCE_STOP_GRACE_MS', graceMs, 100, 3_600_000, 'a number of milliseconds');

  const database = await resolveDatabase();
  stops.push(database.stop);
  console.log(`database   ${database.embedded ? 'embedded PostgreSQL' : 'DATABASE_URL'}: ${database.url}`);

  const prisma = createPrisma(database.url);
  stops.push(() => prisma.$disconnect());
  const api = await createApiServer({ prisma, databaseUrl: database.url, port: apiPort });
  stops.push(api.stop);
  console.log(`API        ${api.url}`);

  if (process.env.GUIDANCE_NO_WORKER !== '1') {
    const worker = superviseWorker({ databaseUrl: database.url, graceMs, log: console.error });
    // Before the API and the database, after the dashboard (stops run in reverse order).
    stops.push(() => worker.stop());
  }

  if (process.env.GUIDANCE_NO_WEB === '1') {
    console.log('dashboard  skipped (GUIDANCE_NO_WEB=1)');
  } else if (!hasNextApp()) {
    console.log('dashboard  skipped: apps/web has no Next.js app yet');
  } else {
    // An API_URL or NEXT_PUBLIC_API_URL the user set wins (runNext passes the environment on).
    const env = { API_URL: process.env.API_URL || api.url };
    if (needsBuild()) {
      console.log('dashboard  building (next build)…');
      const build = runNext(['build'], env);
      children.push(build); // so Ctrl-C during the build stops it too
      await exited(build);
      children.splice(children.indexOf(build), 1);
      if (build.exitCode !== 0) throw new Error(`next build failed (exit code ${build.exitCode})`);
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
