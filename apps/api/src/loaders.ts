/**
 * Per-request batching (DataLoader): the fields a list resolves once per item — a sweep's progress
 * and counts, a run's sweep, grid, metrics, verdicts, stored samples, models and queue job — share one query per kind for the whole list
 * instead of one per item. `cache: false`: nothing is remembered past the batch, so a
 * subscription's next event (same context) reads afresh.
 */
import type { JobStatus, Metric, Model, PrismaClient, Run, RunEvaluation, SampleGrid, Sweep } from '@guidance-lab/db';
import DataLoader from 'dataloader';
import type { ApiContext } from './context';

export interface SweepJobs {
  runs: Pick<Run, 'status' | 'phase' | 'progress'>[];
  models: Pick<Model, 'status' | 'step' | 'totalSteps'>[];
}
/** A run or a model of a sweep, as sweepJobs reads them in one query. */
interface JobRow {
  sweep: string;
  run: boolean;
  status: JobStatus;
  phase: string;
  progress: number;
  step: number;
  totalSteps: number;
}
export type GridMeta = Omit<SampleGrid, 'png'>;
export type ModelRow = Omit<Model, 'checkpoint'>;
/** A job in graphile-worker's queue (read-only): attempts so far and the attempts the queue allows. */
export interface QueueJob {
  attempts: number;
  maxAttempts: number;
}

export interface Loaders {
  /** Sweep id → its runs' and models' states (Sweep.progress, Sweep.counts). */
  sweepJobs: DataLoader<string, SweepJobs>;
  /** Run id → its sample grid without the PNG bytes, or null before it is drawn. */
  grid: DataLoader<string, GridMeta | null>;
  /** Run id → its metric rows under every evaluator. */
  metrics: DataLoader<string, Metric[]>;
  /** Run id → its evaluators' verdicts (accuracy, floor), one per evaluator that scored it. */
  evaluations: DataLoader<string, RunEvaluation[]>;
  /** Run id → the dtype of its stored samples (uint8 images, float32 points), or null when none are stored. */
  samplesDtype: DataLoader<string, string | null>;
  /** Model id → the model without its checkpoint. */
  model: DataLoader<string, ModelRow | null>;
  /** Sweep id → the sweep (a run's sweep, a trade-off series' sweep name). */
  sweep: DataLoader<string, Sweep | null>;
  /** Job key (prisma/src/jobs.ts) → its queue entry, so a failing job can say "attempt 2 of 3"; null once it succeeded (it left the queue). */
  queueJob: DataLoader<string, QueueJob | null>;
}

function groupBy<T>(ids: readonly string[], rows: T[], key: (row: T) => string): T[][] {
  const byId = new Map<string, T[]>(ids.map((id) => [id, []]));
  for (const row of rows) byId.get(key(row))?.push(row);
  return ids.map((id) => byId.get(id)!);
}

function oneEach<T>(ids: readonly string[], rows: T[], key: (row: T) => string): (T | null)[] {
  const byId = new Map(rows.map((row) => [key(row), row]));
  return ids.map((id) => byId.get(id) ?? null);
}

function makeLoaders(prisma: PrismaClient): Loaders {
  const options = { cache: false } as const;
  return {
    sweepJobs: new DataLoader(async (sweepIds) => {
      // One query for runs and models (the sweeps list asks for every listed sweep's progress and counts).
      const rows = await prisma.$queryRaw<JobRow[]>`
        SELECT "sweepId" AS sweep, true AS run, status::text AS status, phase, progress, 0 AS step, 0 AS "totalSteps"
          FROM "Run" WHERE "sweepId" = ANY(${[...sweepIds]}::text[])
        UNION ALL
        SELECT link."sweepId", false, model.status::text, '', 0, model.step, model."totalSteps"
          FROM "SweepModel" link JOIN "Model" model ON model.id = link."modelId" WHERE link."sweepId" = ANY(${[...sweepIds]}::text[])`;
      return groupBy(sweepIds, rows, (r) => r.sweep).map((jobs) => ({
        runs: jobs.filter((j) => j.run).map(({ status, phase, progress }) => ({ status, phase, progress })),
        models: jobs.filter((j) => !j.run).map(({ status, step, totalSteps }) => ({ status, step, totalSteps })),
      }));
    }, options),
    grid: new DataLoader(async (runIds) => oneEach(runIds, await prisma.sampleGrid.findMany({ where: { runId: { in: [...runIds] } }, omit: { png: true } }), (g) => g.runId), options),
    metrics: new DataLoader(async (runIds) => groupBy(runIds, await prisma.metric.findMany({ where: { runId: { in: [...runIds] } } }), (m) => m.runId), options),
    evaluations: new DataLoader(async (runIds) => groupBy(runIds, await prisma.runEvaluation.findMany({ where: { runId: { in: [...runIds] } } }), (e) => e.runId), options),
    samplesDtype: new DataLoader(async (runIds) => {
      const rows = await prisma.runSamples.findMany({ where: { runId: { in: [...runIds] } }, select: { runId: true, dtype: true } });
      return oneEach(runIds, rows, (r) => r.runId).map((r) => r?.dtype ?? null);
    }, options),
    model: new DataLoader(async (ids) => oneEach(ids, await prisma.model.findMany({ where: { id: { in: [...ids] } }, omit: { checkpoint: true } }), (m) => m.id), options),
    sweep: new DataLoader(async (ids) => oneEach(ids, await prisma.sweep.findMany({ where: { id: { in: [...ids] } } }), (s) => s.id), options),
    queueJob: new DataLoader(async (keys) => {
      const rows = await prisma.$queryRaw<{ key: string; attempts: number; max_attempts: number }[]>`
        SELECT key, attempts, max_attempts FROM graphile_worker.jobs WHERE key = ANY(${[...keys]}::text[])`;
      return oneEach(keys, rows.map((r) => ({ key: r.key, attempts: r.attempts, maxAttempts: r.max_attempts })), (r) => r.key).map((r) => (r ? { attempts: r.attempts, maxAttempts: r.maxAttempts } : null));
    }, options),
  };
}

const perContext = new WeakMap<ApiContext, Loaders>();

/** The loaders of this request (or subscription operation). */
export function loaders(ctx: ApiContext): Loaders {
  let own = perContext.get(ctx);
  if (!own) perContext.set(ctx, (own = makeLoaders(ctx.prisma)));
  return own;
}
