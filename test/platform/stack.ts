/**
 * The platform as the end-to-end tests drive it: a throw-away PostgreSQL, the real GraphQL API over
 * HTTP, and real worker processes (children, so one can be SIGKILLed).
 */
import type { ChildProcess } from 'node:child_process';
import { createApiServer } from '@guidance-lab/api';
import { createPrisma, freePort, startTestDatabase, type PrismaClient, type TestDatabase } from '@guidance-lab/db';
import type { SweepSpecInput } from '@guidance-lab/experiments';
import { spawnWorkerProcess } from '../../workers/src/worker/spawnWorkerProcess';

export interface Stack {
  databaseUrl: string;
  database: TestDatabase;
  prisma: PrismaClient;
  /** The API's origin, e.g. http://127.0.0.1:4123. */
  origin: string;
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<T>;
  stop(): Promise<void>;
}

/**
 * `allowedOrigins`: the browser origins the API answers (default: the dashboard's as npm start serves it).
 * `durable`: a database whose commits survive killing it (startTestDatabase).
 */
export async function startStack(options: { allowedOrigins?: string[]; durable?: boolean } = {}): Promise<Stack> {
  const db = await startTestDatabase({ durable: options.durable });
  const prisma = createPrisma(db.url);
  const api = await createApiServer({ prisma, databaseUrl: db.url, port: await freePort(), access: options.allowedOrigins ? { allowedOrigins: options.allowedOrigins } : undefined });
  const origin = new URL(api.url).origin;
  let stopping: Promise<void> | null = null;
  return {
    databaseUrl: db.url,
    database: db,
    prisma,
    origin,
    async gql<T>(query: string, variables: Record<string, unknown> = {}) {
      const response = await fetch(`${origin}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
      if (body.errors?.length) throw new Error(`GraphQL: ${body.errors.map((e) => e.message).join('; ')}`);
      return body.data as T;
    },
    // Once only: a test that stops the stack itself is followed by its afterAll doing the same.
    stop() {
      return (stopping ??= (async () => {
        await api.stop();
        await prisma.$disconnect();
        await db.stop();
      })());
    },
  };
}

/** A worker child process whose output is kept for assertions. */
export interface WorkerChild {
  child: ChildProcess;
  /** Our Worker row id, once the worker has logged it. */
  id(): Promise<string>;
  output(): string;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
  stop(): Promise<void>;
}

/** Fast heartbeats so a killed worker is found stale within seconds; few attempts so failures end soon. */
export const TEST_WORKER_ENV = { GUIDANCE_HEARTBEAT_MS: '500', GUIDANCE_STALE_MS: '4000', GUIDANCE_MAX_ATTEMPTS: '2', GUIDANCE_POLL_MS: '200' };

export function startWorkerChild(stack: Stack, env: Record<string, string> = {}): WorkerChild {
  const child = spawnWorkerProcess(stack.databaseUrl, { env: { ...TEST_WORKER_ENV, ...env }, stdio: 'pipe' });
  let text = '';
  child.stdout?.on('data', (chunk) => (text += chunk));
  child.stderr?.on('data', (chunk) => (text += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output: () => text,
    exited,
    id: () => waitFor('the worker to start', async () => /worker (\S+) running on backend/.exec(text)?.[1], 60_000),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * Polls until `probe` returns a value; the deadline only bounds a hung test, it asserts no speed.
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, deadlineMs = 120_000): Promise<T> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/**
 * Waits for graphile-worker's queue to empty. A handler's last log line comes before the worker
 * deletes its job row, so a count read at once can race it. A job left holding an error is a
 * recorded failure (a retry to come) and fails at once.
 */
export async function waitForEmptyQueue(stack: Stack): Promise<void> {
  await waitFor('the job queue to empty', async () => {
    const jobs = await stack.prisma.$queryRaw<{ key: string | null; last_error: string | null }[]>`SELECT key, last_error FROM graphile_worker.jobs`;
    const failed = jobs.find((job) => job.last_error !== null);
    if (failed) throw new Error(`job ${failed.key} failed and awaits a retry: ${failed.last_error}`);
    return jobs.length === 0;
  });
}

/**
 * A toy2d sweep that trains in seconds: a small MLP ε-net, a small evaluator, few samples, DDIM 10.
 * `overrides` replace top-level fields (a changed dataset seed gives fresh models).
 */
export function tinySpec(overrides: Partial<SweepSpecInput> = {}): SweepSpecInput {
  return {
    name: 'tiny',
    dataset: { kind: 'toy2d', classes: 3, modesPerClass: 2, trainSize: 600, testSize: 300, seed: 1 },
    schedule: { kind: 'linear', T: 100 },
    model: { hidden: 32, depth: 2 },
    training: { steps: 200, batchSize: 64, learningRate: 2e-3, emaDecay: 0.99, checkpointEvery: 50 },
    evaluator: { hidden: 32, depth: 2, steps: 150, batchSize: 64, learningRate: 3e-3 },
    guidance: ['none', 'classifier-free'],
    scales: [1, 3],
    pUncond: [0.2],
    seeds: [0],
    samplesPerClass: 20,
    sampler: { kind: 'ddim', steps: 10, eta: 0 },
    ...overrides,
  };
}

export async function launch(stack: Stack, spec: SweepSpecInput): Promise<string> {
  const data = await stack.gql<{ launchSweep: { id: string } }>('mutation($spec: JSON!) { launchSweep(spec: $spec) { id } }', { spec });
  return data.launchSweep.id;
}

export async function sweepStatus(stack: Stack, id: string): Promise<string> {
  const data = await stack.gql<{ sweep: { status: string } }>('query($id: ID!) { sweep(id: $id) { status } }', { id });
  return data.sweep.status;
}

/** Waits until the sweep reaches `status` (or fails the test with where it stopped instead). */
export async function waitForSweep(stack: Stack, id: string, status: 'succeeded' | 'failed' | 'cancelled'): Promise<void> {
  await waitFor(`sweep ${id} to become ${status}`, async () => {
    const now = await sweepStatus(stack, id);
    if (now !== status && ['succeeded', 'failed', 'cancelled'].includes(now)) {
      const runs = await stack.prisma.run.findMany({ where: { sweepId: id }, select: { status: true, error: true } });
      throw new Error(`sweep ${id} ended ${now}, not ${status}: ${JSON.stringify(runs)}`);
    }
    return now === status;
  });
}
