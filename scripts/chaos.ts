/**
 * `npm run chaos`: small toy2d sweeps on a throw-away embedded PostgreSQL, loopback only, while
 * workers and the database are SIGKILLed at random (seeded) moments; then a table of kills
 * survived, lost and duplicated results and the time each kill took to recover from.
 * Bounded: CHAOS_KILLS kills (default 20), CHAOS_MINUTES overall (default 30). CHAOS_SEED (1),
 * CHAOS_WORKERS (2). Workers use the default liveness settings, so recovery is what users get.
 *
 * Recovered: every model or run that was running at the kill has moved on — back in the queue
 * (a dead worker's job, reclaimed), finished, or running with new progress (after a database kill).
 * Lost: a run not succeeded at the end, or without its metric rows and grid. Duplicated: a model or
 * run whose success was logged by more than one job, or more than one result row. Every lost run is
 * listed with its final status, attempts, last error, its queue job, the models it waits on, and the
 * kills that hit it or its models — enough to tell why it was lost.
 */
import { createWriteStream, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { createApiServer } from '@guidance-lab/api';
import { createPrisma, envInt, freePort, migrate, startEmbeddedPostgres, type EmbeddedDatabase } from '@guidance-lab/db';
import { METRIC_KEYS } from '@guidance-lab/experiments';
import { tinySpec } from '../test/platform/stack';
import { hashSeed, mulberry32 } from '../workers/src/engine/random';
import { spawnWorkerProcess } from '../workers/src/worker/spawnWorkerProcess';
import { exited } from '../workers/src/worker/stopChild';

const KILLS = envInt('CHAOS_KILLS', 20, 1, 200);
const SEED = envInt('CHAOS_SEED', 1, 0, 2 ** 31);
const WORKERS = envInt('CHAOS_WORKERS', 2, 1, 8);
const DEADLINE = Date.now() + envInt('CHAOS_MINUTES', 30, 1, 240) * 60_000;
/** A kill not recovered from within this long counts as not survived. */
const RECOVERY_CAP_MS = 120_000;
/** Metric rows a scored run has: one per score (IS's spread is stored with IS). */
const METRIC_ROWS = METRIC_KEYS.filter((k) => k !== 'isStd').length;
const random = mulberry32(hashSeed(SEED, 11));
const between = (lo: number, hi: number) => lo + (hi - lo) * random();
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

const root = await mkdtemp('/tmp/guidance-lab-chaos-');
await chmod(root, 0o755); // the postgres user must reach it when we run as root
const dataDir = join(root, 'postgres');
let db: EmbeddedDatabase = await startEmbeddedPostgres({ dataDir, port: await freePort() });
await migrate(db.url);
const prisma = createPrisma(db.url);
const api = await createApiServer({ prisma, databaseUrl: db.url, port: 0 });
const graphql = api.url.replace('localhost', '127.0.0.1');

async function gql<T>(query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await fetch(graphql, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body.data as T;
}

let sweeps = 0;
async function launchSweep(): Promise<string> {
  sweeps += 1;
  // The platform tests' tiny sweep, trained and sampled longer so kills land mid-job; a fresh dataset seed gives fresh models.
  const spec = tinySpec({
    name: `chaos ${sweeps}`,
    dataset: { kind: 'toy2d', classes: 3, modesPerClass: 2, trainSize: 600, testSize: 300, seed: 100 + sweeps },
    training: { steps: 800, batchSize: 64, learningRate: 2e-3, emaDecay: 0.99, checkpointEvery: 50 },
    evaluator: { hidden: 32, depth: 2, steps: 300, batchSize: 64, learningRate: 3e-3 },
    samplesPerClass: 200,
    sampler: { kind: 'ddim', steps: 20, eta: 0 },
  });
  // On a loaded machine (or right after a database kill) the launch transaction may time out: retry.
  for (let attempt = 1; ; attempt++) {
    try {
      return (await gql<{ launchSweep: { id: string } }>('mutation($spec: JSON!) { launchSweep(spec: $spec) { id } }', { spec })).launchSweep.id;
    } catch (error) {
      if (attempt === 5) throw error;
      await sleep(2000);
    }
  }
}

/**
 * Worker processes, restarted at once when killed (as `npm start`'s supervisor would, minus its
 * back-off). One that exits on its own (it should not, even with the database gone) is restarted
 * too, and counted.
 */
const logs: string[] = [];
/** Every worker's output and every kill, timestamped, kept after the run for diagnosis. */
const timelinePath = `${root}.log`;
const timeline = createWriteStream(timelinePath);
const started = Date.now();
const note = (source: string, text: string) => {
  for (const line of text.split('\n')) if (line.trim()) timeline.write(`${((Date.now() - started) / 1000).toFixed(1).padStart(7)} s  ${source}  ${line}\n`);
};
const workers: ChildProcess[] = [];
/** Slots whose worker has said it is running (a killed one is replaced by one that must start first). */
const up = new Set<number>();
let ownExits = 0;
let finishing = false;
function startWorker(slot: number): void {
  const child = spawnWorkerProcess(db.url, { stdio: 'pipe' });
  const index = logs.push('') - 1;
  up.delete(slot);
  const onOutput = (chunk: Buffer) => {
    logs[index] += chunk;
    if (workers[slot] === child && /running on backend/.test(String(chunk))) up.add(slot);
    note(`worker ${child.pid}`, String(chunk));
  };
  child.stdout?.on('data', onOutput);
  child.stderr?.on('data', onOutput);
  child.once('exit', (code, signal) => {
    if (finishing || signal === 'SIGKILL') return; // ours
    ownExits += 1;
    console.log(`worker pid ${child.pid} exited on its own (${signal ?? `code ${code}`}); restarting it. Its last lines:\n${logs[index].trim().split('\n').slice(-12).join('\n')}`);
    startWorker(slot);
  });
  workers[slot] = child;
}
for (let slot = 0; slot < WORKERS; slot++) startWorker(slot);

interface Snapshot {
  id: string;
  state: string;
}
/** Running models and runs, each with what would change as it makes progress. */
async function runningWork(): Promise<Snapshot[]> {
  const models = await prisma.model.findMany({ where: { status: 'running' }, select: { id: true, step: true, workerId: true } });
  const runs = await prisma.run.findMany({ where: { status: 'running' }, select: { id: true, phase: true, progress: true, workerId: true } });
  return [...models.map((m) => ({ id: m.id, state: `running ${m.workerId} ${m.step}` })), ...runs.map((r) => ({ id: r.id, state: `running ${r.workerId} ${r.phase} ${r.progress}` }))];
}
async function stateOf(id: string): Promise<string | null> {
  const model = await prisma.model.findUnique({ where: { id }, select: { status: true, step: true, workerId: true } });
  if (model) return model.status === 'running' ? `running ${model.workerId} ${model.step}` : model.status;
  const run = await prisma.run.findUnique({ where: { id }, select: { status: true, phase: true, progress: true, workerId: true } });
  return run ? (run.status === 'running' ? `running ${run.workerId} ${run.phase} ${run.progress}` : run.status) : null;
}
/** Every piece of work running at the kill is queued again, finished, or running with new progress. */
async function recovered(before: Snapshot[]): Promise<boolean> {
  for (const { id, state } of before) {
    const now = await stateOf(id).catch(() => state); // the database may still be down
    if (now === null || now === state) return false;
  }
  return true;
}

async function killDatabase(): Promise<void> {
  const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  process.kill(pid, 'SIGKILL');
  await sleep(between(1000, 4000)); // down for a moment, as in a crash and restart
  db = await startEmbeddedPostgres({ dataDir }); // same data directory, same port: the URL workers have still works
}

async function killWorker(): Promise<void> {
  const slot = Math.floor(random() * workers.length);
  const victim = workers[slot];
  up.delete(slot);
  victim.kill('SIGKILL');
  await exited(victim);
  startWorker(slot);
}

interface Kill {
  what: 'worker' | 'database';
  at: number;
  recoveryMs: number | null;
  /** Workers up (started) just before the kill. */
  workersUp: number;
}
const kills: Kill[] = [];
/** Model or run id → the kills (1-based) that found it running. */
const hitBy = new Map<string, number[]>();
const allDone = async () => (await prisma.sweep.count({ where: { status: { in: ['queued', 'running'] } } })) === 0;

console.log(`chaos: seed ${SEED}, ${KILLS} kills, ${WORKERS} workers, data in ${dataDir}`);
await launchSweep();
while (kills.length < KILLS && Date.now() < DEADLINE) {
  await sleep(between(2000, 8000));
  if (await allDone()) await launchSweep();
  const before = await runningWork();
  if (before.length === 0) continue; // nothing to interrupt yet
  const what = random() < 0.25 ? 'database' : 'worker';
  const at = Date.now();
  const workersUp = up.size;
  note('chaos', `kill ${kills.length + 1}: ${what}; running: ${before.map((b) => `${b.id.slice(0, 8)} ${b.state}`).join(' | ')}`);
  await (what === 'database' ? killDatabase() : killWorker());
  let recoveryMs: number | null = null;
  while (Date.now() - at < RECOVERY_CAP_MS) {
    if (await recovered(before)) {
      recoveryMs = Date.now() - at;
      break;
    }
    await sleep(200);
  }
  kills.push({ what, at, recoveryMs, workersUp });
  for (const { id } of before) hitBy.set(id, [...(hitBy.get(id) ?? []), kills.length]);
  note('chaos', `kill ${kills.length}: ${recoveryMs === null ? 'NOT recovered' : `recovered in ${recoveryMs} ms`}`);
  console.log(`kill ${kills.length}: ${what} (${before.length} jobs running, ${workersUp} workers up) → ${recoveryMs === null ? 'NOT recovered' : `recovered in ${(recoveryMs / 1000).toFixed(1)} s`}`);
}

console.log('kills done; waiting for the sweeps to finish…');
while (!(await allDone()) && Date.now() < DEADLINE + 5 * 60_000) await sleep(1000);

// Results: every run of every sweep succeeded, with one set of metrics and one grid.
const runs = await prisma.run.findMany({ select: { id: true, status: true, _count: { select: { metrics: true } }, grid: { select: { id: true } } } });
const lostRuns = runs.filter((r) => r.status !== 'succeeded' || r._count.metrics !== METRIC_ROWS || !r.grid);
const lost = lostRuns.length;
const text = logs.join('\n');
const successes = new Map<string, number>();
for (const match of text.matchAll(/(run:\S+): \S+ s=\S+ p=\S+ → fid|(train:\S+): trained/g)) {
  const key = match[1] ?? match[2];
  successes.set(key, (successes.get(key) ?? 0) + 1);
}
const duplicated = [...successes.values()].filter((n) => n > 1).length + runs.filter((r) => r._count.metrics > METRIC_ROWS).length;

const times = kills.flatMap((k) => (k.recoveryMs === null ? [] : [k.recoveryMs / 1000])).sort((a, b) => a - b);
const pct = (p: number) => (times.length ? times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(1) : '—');
const byKind = (what: Kill['what']) => kills.filter((k) => k.what === what);
const maxRecovery = (some: Kill[]) => (some.length ? `${Math.max(...some.map((k) => (k.recoveryMs ?? Infinity) / 1000)).toFixed(1)} s` : '—');
console.log(`
| measure | value | target |
|---|---|---|
| kills (workers / database) | ${kills.length} (${byKind('worker').length} / ${byKind('database').length}) | ≥ 20 |
| kills survived (recovered within ${RECOVERY_CAP_MS / 1000} s) | ${times.length} of ${kills.length} | all |
| runs scored | ${runs.length} in ${sweeps} sweeps | |
| workers that exited on their own | ${ownExits} | 0 |
| lost results | ${lost} | 0 |
| duplicated results | ${duplicated} | 0 |
| time to recover, median / max | ${pct(0.5)} s / ${times.length ? times.at(-1)!.toFixed(1) : '—'} s | < 15 s |
| worker kills: max recovery | ${maxRecovery(byKind('worker'))} | |
| database kills: max recovery | ${maxRecovery(byKind('database'))} | |
| worker kills with another worker up: max recovery | ${maxRecovery(byKind('worker').filter((k) => k.workersUp > 1))} | |
| worker kills of the only worker up (recovery waits for a replacement to start) | ${byKind('worker').filter((k) => k.workersUp <= 1).length}, max ${maxRecovery(byKind('worker').filter((k) => k.workersUp <= 1))} | |
`);

if (lost) console.log(await describeLost(lostRuns.map((r) => r.id)));

/** One row per lost run: what became of it and of its models, and the kills that preceded it. */
async function describeLost(ids: string[]): Promise<string> {
  const short = (id: string) => id.slice(0, 8);
  const clip = (text: string | null | undefined) => (text ? text.replace(/\s+/g, ' ').slice(0, 160) : '—');
  const killsOf = (id: string) => (hitBy.get(id) ?? []).map((k) => `#${k} ${kills[k - 1].what}`);
  const lines = ['| run | sweep | status (phase) | attempts | last error | queue job | models not succeeded | kills that hit it (run / its models) | last kill before its end |', '|---|---|---|---|---|---|---|---|---|'];
  for (const id of ids) {
    const run = await prisma.run.findUniqueOrThrow({ where: { id }, include: { sweep: { select: { name: true } } } });
    const modelIds = [run.epsModelId, run.classifierModelId, run.guideModelId, run.evaluatorModelId].filter((m): m is string => m !== null);
    const models = await prisma.model.findMany({ where: { id: { in: modelIds } }, select: { id: true, kind: true, status: true, attempts: true, error: true } });
    const [job] = await prisma.$queryRaw<{ attempts: number; max_attempts: number; locked_by: string | null; last_error: string | null }[]>`
      SELECT attempts, max_attempts, locked_by, last_error FROM graphile_worker.jobs WHERE key = ${`run:${id}`}`;
    const hits = [...killsOf(id), ...models.flatMap((m) => killsOf(m.id).map((k) => `${k} (${m.kind})`))];
    const end = run.finishedAt?.getTime() ?? Date.now();
    const last = kills.map((k, i) => ({ ...k, n: i + 1 })).filter((k) => k.at <= end).at(-1);
    lines.push(
      `| ${short(id)} | ${run.sweep.name} | ${run.status} (${run.phase}) | ${run.attempts} | ${clip(run.error)} | ` +
        `${job ? `${job.attempts}/${job.max_attempts}${job.locked_by ? ` locked by ${short(job.locked_by)}` : ''}, ${clip(job.last_error)}` : 'none'} | ` +
        `${models.filter((m) => m.status !== 'succeeded').map((m) => `${m.kind} ${m.status} (${m.attempts} attempts: ${clip(m.error)})`).join('; ') || '—'} | ` +
        `${hits.join(', ') || 'none'} | ${last ? `#${last.n} ${last.what}, ${((end - last.at) / 1000).toFixed(1)} s before` : 'none'} |`,
    );
  }
  return `\nLost runs:\n${lines.join('\n')}\n`;
}

finishing = true;
for (const child of workers) child.kill('SIGTERM');
await Promise.all(workers.map(exited));
await api.stop();
await prisma.$disconnect();
await db.stop();
await rm(root, { recursive: true, force: true });
timeline.end();
console.log(`worker output and kills, timestamped: ${timelinePath}`);
process.exit(lost === 0 && duplicated === 0 && times.length === kills.length ? 0 : 1);
