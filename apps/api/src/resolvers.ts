/**
 * Resolvers for schema.graphql. Parents are Prisma rows; sample grid bytes and checkpoints never
 * travel through GraphQL (grids are served as PNG URLs).
 */
import type { JobStatus, Model, Run, Sweep, Worker } from '@guidance-lab/db';
import { getPreset, listPresets, mergeOverrides, PRESET_SIZES, type PresetSize } from '@guidance-lab/experiments';
import type { ApiContext } from './context';
import { badInput, notFound, unauthenticated } from './errors';
import { launch } from './launch';
import { scoresOf } from './metrics';
import { sweepProgress } from './progress';
import { DateTimeScalar, JSONScalar } from './scalars';
import { cancelSweep, deleteSweep, findSweep, retryFailed } from './sweepActions';
import { buildTradeoff } from './tradeoff';
import { gridPath, resultsPath } from './urls';

type Resolver<P, A, R> = (parent: P, args: A, ctx: ApiContext) => Promise<R> | R;

const WORKER_TIMEOUT_MS = Number(process.env.GUIDANCE_WORKER_TIMEOUT_S ?? 60) * 1000;
const STATUSES: JobStatus[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];

/** A run's share done: sampling is most of the work, scoring the rest. */
function runDone(r: Pick<Run, 'status' | 'phase' | 'progress'>): number {
  if (r.status !== 'queued' && r.status !== 'running') return 1;
  if (r.phase === 'sampling') return 0.8 * r.progress;
  if (r.phase === 'scoring') return 0.8 + 0.2 * r.progress;
  return 0;
}

function modelDone(m: Pick<Model, 'status' | 'step' | 'totalSteps'>): number {
  if (m.status === 'succeeded') return 1;
  return m.totalSteps > 0 ? Math.min(1, m.step / m.totalSteps) : 0;
}

async function gridUrls(ctx: ApiContext, runIds: string[]): Promise<Map<string, string>> {
  const grids = await ctx.prisma.sampleGrid.findMany({ where: { runId: { in: runIds } }, select: { runId: true } });
  return new Map(grids.map((g) => [g.runId, ctx.baseUrl + gridPath(g.runId)]));
}

async function tradeoffOf(ctx: ApiContext, sweepId: string) {
  const runs = await ctx.prisma.run.findMany({
    where: { sweepId },
    select: { id: true, guidance: true, pUncond: true, scale: true, seed: true, metrics: { select: { name: true, value: true, std: true } } },
  });
  const urls = await gridUrls(ctx, runs.map((r) => r.id));
  return buildTradeoff(runs.map((r) => ({ ...r, gridUrl: urls.get(r.id) ?? null })));
}

async function findRun(ctx: ApiContext, id: string): Promise<Run> {
  const run = await ctx.prisma.run.findUnique({ where: { id } });
  if (!run) throw notFound('run', id);
  return run;
}

const modelById = (ctx: ApiContext, id: string) => ctx.prisma.model.findUniqueOrThrow({ where: { id }, omit: { checkpoint: true } });

/** Mutations are refused without the token when GUIDANCE_API_TOKEN is set. */
function guarded<A, R>(resolve: Resolver<unknown, A, R>): Resolver<unknown, A, R> {
  return (parent, args, ctx) => {
    if (!ctx.mayMutate) throw unauthenticated();
    return resolve(parent, args, ctx);
  };
}

export const resolvers = {
  JSON: JSONScalar,
  DateTime: DateTimeScalar,

  Query: {
    presets: () => listPresets(),
    sweeps: async (_: unknown, { status, first, after }: { status?: JobStatus | null; first: number; after?: string | null }, ctx: ApiContext) => {
      if (!Number.isInteger(first) || first < 1 || first > 100) throw badInput('first', 'must be a whole number from 1 to 100');
      if (after && !(await ctx.prisma.sweep.findUnique({ where: { id: after }, select: { id: true } }))) {
        throw badInput('after', 'is not the cursor of a listed sweep');
      }
      const where = status ? { status } : {};
      const [page, totalCount] = await Promise.all([
        ctx.prisma.sweep.findMany({
          where,
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          take: first + 1,
          ...(after ? { cursor: { id: after }, skip: 1 } : {}),
        }),
        ctx.prisma.sweep.count({ where }),
      ]);
      const nodes = page.slice(0, first);
      return {
        edges: nodes.map((node) => ({ cursor: node.id, node })),
        nodes,
        pageInfo: { hasNextPage: page.length > first, endCursor: nodes.at(-1)?.id ?? null },
        totalCount,
      };
    },
    sweep: (_: unknown, { id }: { id: string }, ctx: ApiContext) => findSweep(ctx, id),
    run: (_: unknown, { id }: { id: string }, ctx: ApiContext) => findRun(ctx, id),
    workers: (_: unknown, __: unknown, ctx: ApiContext) => ctx.prisma.worker.findMany({ orderBy: { lastHeartbeat: 'desc' } }),
    tradeoff: async (_: unknown, { sweepId }: { sweepId: string }, ctx: ApiContext) => {
      await findSweep(ctx, sweepId);
      return tradeoffOf(ctx, sweepId);
    },
  },

  Mutation: {
    launchSweep: guarded((_, { spec, name }: { spec: unknown; name?: string | null }, ctx) => launch(ctx, spec, { name, argument: 'spec' })),
    launchPreset: guarded((_, { name, overrides, quick, size }: { name: string; overrides?: unknown; quick: boolean; size?: string | null }, ctx) => {
      if (size != null && !(PRESET_SIZES as readonly string[]).includes(size)) throw badInput('size', `must be one of: ${PRESET_SIZES.join(', ')}; got "${size}"`);
      if (size != null && quick && size !== 'quick') throw badInput('size', `contradicts quick: true; got "${size}"`);
      const wanted = (size ?? (quick ? 'quick' : 'full')) as PresetSize;
      const preset = getPreset(name, wanted);
      if (!preset && getPreset(name)) throw badInput('size', `preset "${name}" has no ${wanted} size`);
      if (!preset) {
        const known = [...new Set(listPresets().map((p) => p.name))].join(', ');
        throw badInput('name', `must name a preset (${known}); got "${name}"`);
      }
      if (overrides != null && (typeof overrides !== 'object' || Array.isArray(overrides))) {
        throw badInput('overrides', 'must be a JSON object of spec fields to change');
      }
      return launch(ctx, mergeOverrides(preset.spec, overrides ?? {}), { preset: name, argument: 'overrides' });
    }),
    cancelSweep: guarded((_, { id }: { id: string }, ctx) => cancelSweep(ctx, id)),
    retryFailed: guarded((_, { id }: { id: string }, ctx) => retryFailed(ctx, id)),
    deleteSweep: guarded((_, { id }: { id: string }, ctx) => deleteSweep(ctx, id)),
  },

  Subscription: {
    sweepProgress: {
      subscribe: async (_: unknown, { id }: { id: string }, ctx: ApiContext) => {
        await findSweep(ctx, id); // unknown ids fail at subscribe time, with NOT_FOUND
        return sweepProgress(ctx.prisma, id);
      },
      resolve: (sweep: Sweep) => sweep,
    },
  },

  Sweep: {
    progress: async (s: Sweep, _: unknown, ctx: ApiContext) => {
      const [runs, models] = await Promise.all([
        ctx.prisma.run.findMany({ where: { sweepId: s.id }, select: { status: true, phase: true, progress: true } }),
        ctx.prisma.model.findMany({ where: { sweeps: { some: { sweepId: s.id } } }, select: { status: true, step: true, totalSteps: true } }),
      ]);
      const jobs = runs.length + models.length;
      return jobs ? (runs.reduce((a, r) => a + runDone(r), 0) + models.reduce((a, m) => a + modelDone(m), 0)) / jobs : 0;
    },
    counts: async (s: Sweep, _: unknown, ctx: ApiContext) => {
      const groups = await ctx.prisma.run.groupBy({ by: ['status'], where: { sweepId: s.id }, _count: { _all: true } });
      const counts = Object.fromEntries(STATUSES.map((st) => [st, groups.find((g) => g.status === st)?._count._all ?? 0]));
      return { total: groups.reduce((a, g) => a + g._count._all, 0), ...counts };
    },
    runs: (s: Sweep, _: unknown, ctx: ApiContext) =>
      // The order of experiments' sortRuns: guidance, p_uncond, seed, scale.
      ctx.prisma.run.findMany({ where: { sweepId: s.id }, orderBy: [{ guidance: 'asc' }, { pUncond: 'asc' }, { seed: 'asc' }, { scale: 'asc' }] }),
    models: (s: Sweep, _: unknown, ctx: ApiContext) =>
      ctx.prisma.model.findMany({ where: { sweeps: { some: { sweepId: s.id } } }, orderBy: [{ createdAt: 'asc' }, { key: 'asc' }], omit: { checkpoint: true } }),
    tradeoff: (s: Sweep, _: unknown, ctx: ApiContext) => tradeoffOf(ctx, s.id),
    resultsCsvUrl: (s: Sweep, _: unknown, ctx: ApiContext) => ctx.baseUrl + resultsPath(s.id, 'csv'),
    resultsJsonUrl: (s: Sweep, _: unknown, ctx: ApiContext) => ctx.baseUrl + resultsPath(s.id, 'json'),
  },

  Run: {
    w: (r: Run) => r.scale - 1,
    sweep: (r: Run, _: unknown, ctx: ApiContext) => ctx.prisma.sweep.findUniqueOrThrow({ where: { id: r.sweepId } }),
    metrics: async (r: Run, _: unknown, ctx: ApiContext) => scoresOf(await ctx.prisma.metric.findMany({ where: { runId: r.id } })),
    metricRows: (r: Run, _: unknown, ctx: ApiContext) => ctx.prisma.metric.findMany({ where: { runId: r.id }, orderBy: { name: 'asc' } }),
    grid: async (r: Run, _: unknown, ctx: ApiContext) => {
      const grid = await ctx.prisma.sampleGrid.findUnique({ where: { runId: r.id }, omit: { png: true } });
      return grid && { ...grid, url: ctx.baseUrl + gridPath(r.id) };
    },
    gridUrl: async (r: Run, _: unknown, ctx: ApiContext) => (await gridUrls(ctx, [r.id])).get(r.id) ?? null,
    epsModel: (r: Run, _: unknown, ctx: ApiContext) => modelById(ctx, r.epsModelId),
    classifierModel: (r: Run, _: unknown, ctx: ApiContext) => (r.classifierModelId ? modelById(ctx, r.classifierModelId) : null),
    evaluatorModel: (r: Run, _: unknown, ctx: ApiContext) => modelById(ctx, r.evaluatorModelId),
  },

  Model: {
    progress: (m: Model) => modelDone(m),
    sweeps: (m: Model, _: unknown, ctx: ApiContext) =>
      ctx.prisma.sweep.findMany({ where: { models: { some: { modelId: m.id } } }, orderBy: { createdAt: 'desc' } }),
  },

  Worker: {
    alive: (w: Worker) => Date.now() - w.lastHeartbeat.getTime() < WORKER_TIMEOUT_MS,
  },
};
