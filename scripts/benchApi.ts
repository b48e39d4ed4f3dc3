/**
 * `npm run bench:api [-- --clients 20 --requests 1000 --seconds 60]`: API latency while a sweep
 * runs. A throw-away PostgreSQL, the API on 127.0.0.1 in its own process (as `npm start` runs it,
 * so the clients' own work does not share its event loop), one worker training and sampling the
 * quick toy2d preset, 100 older sweeps in the list; then `clients` concurrent loops send the
 * dashboard's sweeps-list query and `tradeoff` until each has sent `requests` or `seconds` have
 * passed. Prints p50 / p95 / p99 / max per query. Loopback only; bounded in count and time; no
 * assertion. First each query is sent alone, to an API in this process, to count its database
 * queries and their time: what one request costs. The load phase starts after 21 requests of its
 * kind have warmed the API process up; the first one's time is printed too.
 */
import { parseArgs } from 'node:util';
import { createApiServer } from '@guidance-lab/api';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { createPrisma, freePort, startTestDatabase } from '@guidance-lab/db';
import { SWEEPS } from '../apps/web/lib/queries';
import { spawnWorkerProcess } from '../workers/src/worker/spawnWorkerProcess';
import { exited } from '../workers/src/worker/stopChild';

const { values } = parseArgs({ options: { clients: { type: 'string', default: '20' }, requests: { type: 'string', default: '1000' }, seconds: { type: 'string', default: '60' } } });
const clients = Number(values.clients);
const requests = Number(values.requests);
const seconds = Number(values.seconds);
for (const [name, v, max] of [['--clients', clients, 200], ['--requests', requests, 100_000], ['--seconds', seconds, 600]] as const) {
  if (!Number.isInteger(v) || v < 1 || v > max) throw new Error(`${name} must be a whole number from 1 to ${max}`);
}

const TRADEOFF = `query Tradeoff($id: ID!) { tradeoff(sweepId: $id) { label points { scale fid is precision recall adherence gridUrl } } }`;

const db = await startTestDatabase();
/** Queries the API sent and their total time, since the last reset. */
const dbCost = { queries: 0, ms: 0 };
const prisma = createPrisma(db.url, {
  onQuery: (_sql, ms) => {
    dbCost.queries += 1;
    dbCost.ms += ms;
  },
});
const api = await createApiServer({ prisma, databaseUrl: db.url, port: 0 });
const served = spawn(process.execPath, ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href, 'apps/api/src/main.ts'], {
  env: { ...process.env, DATABASE_URL: db.url, PORT: String(await freePort()) },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const servedUrl = new Promise<string>((resolve) => {
  let text = '';
  served.stdout.on('data', (chunk) => {
    text += chunk;
    const url = /GraphQL on (\S+)/.exec(text)?.[1];
    if (url) resolve(url);
  });
});
const worker = spawnWorkerProcess(db.url, { stdio: 'pipe' });
worker.stdout?.resume(); // drained, so its logging never blocks it
worker.stderr?.resume();
try {
  async function gql<T>(query: string, variables: Record<string, unknown> = {}, url = api.url): Promise<T> {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
    if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
    return body.data!;
  }
  await prisma.sweep.createMany({ data: Array.from({ length: 100 }, (_, i) => ({ name: `older sweep ${i}`, spec: {}, status: 'succeeded' as const })) });
  const { launchPreset } = await gql<{ launchPreset: { id: string } }>(`mutation { launchPreset(name: "toy2d-tradeoff", quick: true) { id } }`);
  const sweepId = launchPreset.id;

  process.stderr.write('waiting for the worker to start the sweep… ');
  for (const until = Date.now() + 120_000; (await prisma.sweep.findUniqueOrThrow({ where: { id: sweepId } })).status === 'queued'; ) {
    if (Date.now() > until) throw new Error('the worker did not start the sweep within 2 minutes');
    await new Promise((r) => setTimeout(r, 250));
  }
  process.stderr.write('running\n');

  const loadUrl = await servedUrl;
  const queries = {
    'sweeps list (dashboard query, first 20)': (url?: string) => gql(SWEEPS, { first: 20 }, url),
    'tradeoff(sweepId)': (url?: string) => gql(TRADEOFF, { id: sweepId }, url),
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const alone: string[][] = [];
  for (const [label, send] of Object.entries(queries)) {
    const counts: number[] = [];
    const dbMs: number[] = [];
    const totalMs: number[] = [];
    for (let i = 0; i < 20; i++) {
      Object.assign(dbCost, { queries: 0, ms: 0 });
      const start = performance.now();
      await send();
      totalMs.push(performance.now() - start);
      counts.push(dbCost.queries);
      dbMs.push(dbCost.ms);
    }
    alone.push([label, String(median(counts)), median(dbMs).toFixed(1), median(totalMs).toFixed(1)]);
  }

  const rows: string[][] = [];
  for (const [label, send] of Object.entries(queries)) {
    // The API process is fresh: its first requests of a kind compile code and plans (about a
    // second's worth, which the first 20 concurrent ones would share). Steady state is what is
    // measured; the first request's time is printed beside it.
    const coldStart = performance.now();
    await send(loadUrl);
    const cold = performance.now() - coldStart;
    for (let i = 0; i < 20; i++) await send(loadUrl);
    const times: number[] = [];
    let errors = 0;
    const deadline = Date.now() + seconds * 1000;
    let sent = 0;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (sent < requests && Date.now() < deadline) {
          sent++;
          const start = performance.now();
          await send(loadUrl).then(
            () => times.push(performance.now() - start),
            () => errors++,
          );
        }
      }),
    );
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]?.toFixed(1) ?? '-';
    rows.push([label, String(clients), String(times.length), String(errors), at(0.5), at(0.95), at(0.99), times.at(-1)?.toFixed(1) ?? '-', cold.toFixed(1)]);
  }
  const status = await prisma.run.groupBy({ by: ['status'], where: { sweepId }, _count: { _all: true } });
  const table = (header: string[], body: string[][]) => {
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
    const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
    console.log([line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...body.map(line)].join('\n') + '\n');
  };
  table(['query, sent alone', 'db queries', 'db ms', 'request ms'], alone);
  table(['query', 'clients', 'requests', 'errors', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'first request ms'], rows);
  console.log(`while the worker ran sweep ${sweepId} (runs: ${status.map((s) => `${s._count._all} ${s.status}`).join(', ')}); API process on ${loadUrl}`);
} finally {
  served.kill('SIGTERM');
  worker.kill('SIGTERM');
  await exited(served);
  await new Promise((r) => worker.once('exit', r));
  await api.stop();
  await prisma.$disconnect();
  await db.stop();
}
