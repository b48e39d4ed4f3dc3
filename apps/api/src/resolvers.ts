/**
 * Resolvers for schema.graphql. Parents are Prisma rows; sample grid bytes and checkpoints never
 * travel through GraphQL (grids are served as PNG URLs).
 */
import { readLiveness, runJobKey, trainJobKey, type JobStatus, type Model, type Rescore, type Run, type RunEvaluation, type Sweep, type Worker } from '@guidance-lab/db';
import { getPreset, isReliable, listPresets, mergeOverrides, PRESET_SIZES, runMethodLabel, type GuidanceType, type MethodId, type MethodParams, type PresetSize } from '@guidance-lab/experiments';
import type { ApiContext } from './context';
import { badInput, checkId, isUuid, notFound, unauthenticated } from './errors';
import { estimate } from './estimate';
import { extendSweep, type ExtendInput } from './extend';
import { launch } from './launch';
import { loaders } from './loaders';
import { scoresOf, underEvaluator } from './metrics';
import { sweepProgress } from './progress';
import { rescoreSweep } from './rescore';
import { samplePage, type SamplePageArgs } from './samplePage';
import { DateTimeScalar, JSONScalar } from './scalars';
import { cancelSweep, deleteSweep, findSweep, resumeSweep, retryFailed } from './sweepActions';
import { buildTradeoff } from './tradeoff';
import { gridPath, resultsPath, samplesPath } from './urls';

type Resolver<P, A, R> = (parent: P, args: A, ctx: ApiContext) => Promise<R> | R;

/** The workers' own definition of a dead worker (they reclaim its jobs then). */
const { staleMs: WORKER_STALE_MS } = readLiveness();
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

/** Scores under the evaluator asked for, else each run's own; several sweeps' series in the order of their ids. */
async function tradeoffOf(ctx: ApiContext, sweepIds: string[], evaluatorHash?: string | null) {
  const runs = await ctx.prisma.run.findMany({
    where: { sweepId: { in: sweepIds } },
    select: {
      id: true, sweepId: true, guidance: true, method: true, methodParams: true, pUncond: true, scale: true, seed: true,
      metrics: { select: { name: true, value: true, std: true, evaluatorHash: true } },
      evaluatorModel: { select: { weightsHash: true } },
      grid: { select: { id: true } },
    },
  });
  return buildTradeoff(
    runs.map((r) => ({ ...r, metrics: underEvaluator(r.metrics, r.evaluatorModel.weightsHash, evaluatorHash), gridUrl: r.grid ? ctx.baseUrl + gridPath(r.id) : null })),
    sweepIds,
  );
}

/** At most this many sweeps on one comparison chart. */
const MAX_COMPARED = 8;

/** tradeoff(sweepId) or tradeoff(sweepIds: [...]): exactly one of them, every id a known sweep. */
async function tradeoffSweeps(ctx: ApiContext, sweepId?: string | null, sweepIds?: string[] | null): Promise<string[]> {
  if ((sweepId == null) === (sweepIds == null)) throw badInput(sweepId == null ? 'sweepId' : 'sweepIds', 'give either sweepId or sweepIds, not both or neither');
  if (sweepId != null) return [(await findSweep(ctx, sweepId, 'sweepId')).id];
  const ids = [...new Set(sweepIds)];
  if (ids.length < 1 || ids.length > MAX_COMPARED) throw badInput('sweepIds', `must list 1 to ${MAX_COMPARED} sweeps; got ${ids.length}`);
  for (const id of ids) checkId('sweepIds', id, 'sweep');
  const known = new Set((await ctx.prisma.sweep.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((s) => s.id));
  const unknown = ids.find((id) => !known.has(id));
  if (unknown) throw notFound('sweep', unknown, 'sweepIds');
  return ids;
}

/** The evaluators that scored a sweep's runs, its own (the spec's) first. */
async function evaluatorsOf(ctx: ApiContext, sweepId: string) {
  const [groups, own] = await Promise.all([
    ctx.prisma.metric.groupBy({ by: ['evaluatorHash', 'runId'], where: { run: { sweepId } } }),
    ctx.prisma.run.findFirst({ where: { sweepId }, select: { evaluatorModel: { select: { weightsHash: true } } } }),
  ]);
  const runsScored = new Map<string, number>();
  for (const g of groups) runsScored.set(g.evaluatorHash, (runsScored.get(g.evaluatorHash) ?? 0) + 1);
  const ownHash = own?.evaluatorModel.weightsHash ?? null;
  const models = await ctx.prisma.model.findMany({ where: { kind: 'evaluator', weightsHash: { in: [...runsScored.keys()] } }, omit: { checkpoint: true } });
  return [...runsScored]
    .map(([hash, count]) => ({ hash, own: hash === ownHash, runsScored: count, model: models.find((m) => m.weightsHash === hash) ?? null }))
    .sort((a, b) => Number(b.own) - Number(a.own) || a.hash.localeCompare(b.hash));
}

async function findRun(ctx: ApiContext, id: string): Promise<Run> {
  checkId('id', id, 'run');
  const run = await ctx.prisma.run.findUnique({ where: { id } });
  if (!run) throw notFound('run', id);
  return run;
}

const ownEvaluatorHash = async (ctx: ApiContext, r: Run) => (await loaders(ctx).model.load(r.evaluatorModelId))?.weightsHash ?? null;
/** The verdict of the evaluator asked for (default: the run's own) where it scored the run, else null. */
async function evaluationOf(ctx: ApiContext, r: Run, asked?: string | null): Promise<RunEvaluation | null> {
  const hash = asked ?? (await ownEvaluatorHash(ctx, r));
  if (!hash) return null;
  return (await loaders(ctx).evaluations.load(r.id)).find((e) => e.evaluatorHash === hash) ?? null;
}
type EvaluatorArg = { evaluatorHash?: string | null };

async function modelById(ctx: ApiContext, id: string) {
  const model = await loaders(ctx).model.load(id);
  if (!model) throw new Error(`model ${id} does not exist`); // a foreign key guarantees it
  return model;
}

async function sweepById(ctx: ApiContext, id: string) {
  const sweep = await loaders(ctx).sweep.load(id);
  if (!sweep) throw new Error(`sweep ${id} does not exist`); // a foreign key guarantees it
  return sweep;
}

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
      if (after && (!isUuid(after) || !(await ctx.prisma.sweep.findUnique({ where: { id: after }, select: { id: true } })))) {
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
    tradeoff: async (_: unknown, { sweepId, sweepIds, evaluatorHash }: { sweepId?: string | null; sweepIds?: string[] | null; evaluatorHash?: string | null }, ctx: ApiContext) =>
      tradeoffOf(ctx, await tradeoffSweeps(ctx, sweepId, sweepIds), evaluatorHash),
    samples: (_: unknown, args: SamplePageArgs, ctx: ApiContext) => samplePage(ctx, args),
    estimate: (_: unknown, { spec }: { spec: unknown }, ctx: ApiContext) => estimate(ctx, spec),
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
    resumeSweep: guarded((_, { id }: { id: string }, ctx) => resumeSweep(ctx, id)),
    extendSweep: guarded((_, { id, ...input }: { id: string } & ExtendInput, ctx) => extendSweep(ctx, id, input)),
    deleteSweep: guarded((_, { id }: { id: string }, ctx) => deleteSweep(ctx, id)),
    rescoreSweep: guarded((_, { id, evaluator }: { id: string; evaluator?: unknown }, ctx) => rescoreSweep(ctx, id, evaluator)),
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
      const { runs, models } = await loaders(ctx).sweepJobs.load(s.id);
      const jobs = runs.length + models.length;
      return jobs ? (runs.reduce((a, r) => a + runDone(r), 0) + models.reduce((a, m) => a + modelDone(m), 0)) / jobs : 0;
    },
    counts: async (s: Sweep, _: unknown, ctx: ApiContext) => {
      const { runs } = await loaders(ctx).sweepJobs.load(s.id);
      const counts = Object.fromEntries(STATUSES.map((st) => [st, runs.filter((r) => r.status === st).length]));
      return { total: runs.length, ...counts };
    },
    runs: (s: Sweep, _: unknown, ctx: ApiContext) =>
      // Near experiments' sortRuns: guidance, method, p_uncond, seed, scale.
      ctx.prisma.run.findMany({ where: { sweepId: s.id }, orderBy: [{ guidance: 'asc' }, { method: 'asc' }, { pUncond: 'asc' }, { seed: 'asc' }, { scale: 'asc' }] }),
    models: (s: Sweep, _: unknown, ctx: ApiContext) =>
      ctx.prisma.model.findMany({ where: { sweeps: { some: { sweepId: s.id } } }, orderBy: [{ createdAt: 'asc' }, { key: 'asc' }], omit: { checkpoint: true } }),
    tradeoff: (s: Sweep, { evaluatorHash }: { evaluatorHash?: string | null }, ctx: ApiContext) => tradeoffOf(ctx, [s.id], evaluatorHash),
    evaluators: (s: Sweep, _: unknown, ctx: ApiContext) => evaluatorsOf(ctx, s.id),
    rescores: (s: Sweep, _: unknown, ctx: ApiContext) => ctx.prisma.rescore.findMany({ where: { run: { sweepId: s.id } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
    resultsCsvUrl: (s: Sweep, _: unknown, ctx: ApiContext) => ctx.baseUrl + resultsPath(s.id, 'csv'),
    resultsJsonUrl: (s: Sweep, _: unknown, ctx: ApiContext) => ctx.baseUrl + resultsPath(s.id, 'json'),
  },

  Run: {
    w: (r: Run) => r.scale - 1,
    sweep: (r: Run, _: unknown, ctx: ApiContext) => sweepById(ctx, r.sweepId),
    metrics: async (r: Run, { evaluatorHash }: { evaluatorHash?: string | null }, ctx: ApiContext) =>
      scoresOf(underEvaluator(await loaders(ctx).metrics.load(r.id), await ownEvaluatorHash(ctx, r), evaluatorHash)),
    evaluatorHash: (r: Run, _: unknown, ctx: ApiContext) => ownEvaluatorHash(ctx, r),
    samplesNpzUrl: async (r: Run, _: unknown, ctx: ApiContext) => ((await loaders(ctx).samplesDtype.load(r.id)) ? ctx.baseUrl + samplesPath(r.id, 'npz') : null),
    samplesZipUrl: async (r: Run, _: unknown, ctx: ApiContext) => ((await loaders(ctx).samplesDtype.load(r.id)) === 'uint8' ? ctx.baseUrl + samplesPath(r.id, 'zip') : null),
    metricRows: async (r: Run, _: unknown, ctx: ApiContext) => [...(await loaders(ctx).metrics.load(r.id))].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    evaluatorAccuracy: async (r: Run, { evaluatorHash }: EvaluatorArg, ctx: ApiContext) => (await evaluationOf(ctx, r, evaluatorHash))?.accuracy ?? null,
    evaluatorReliable: async (r: Run, { evaluatorHash }: EvaluatorArg, ctx: ApiContext) => {
      const e = await evaluationOf(ctx, r, evaluatorHash);
      return e ? isReliable(e.accuracy, e.attainable) : null;
    },
    floor: async (r: Run, { evaluatorHash }: EvaluatorArg, ctx: ApiContext) => ((await evaluationOf(ctx, r, evaluatorHash))?.floor as { metrics: Record<string, number> } | undefined)?.metrics ?? null,
    grid: async (r: Run, _: unknown, ctx: ApiContext) => {
      const grid = await loaders(ctx).grid.load(r.id);
      return grid && { ...grid, url: ctx.baseUrl + gridPath(r.id) };
    },
    gridUrl: async (r: Run, _: unknown, ctx: ApiContext) => ((await loaders(ctx).grid.load(r.id)) ? ctx.baseUrl + gridPath(r.id) : null),
    epsModel: (r: Run, _: unknown, ctx: ApiContext) => modelById(ctx, r.epsModelId),
    classifierModel: (r: Run, _: unknown, ctx: ApiContext) => (r.classifierModelId ? modelById(ctx, r.classifierModelId) : null),
    guideModel: (r: Run, _: unknown, ctx: ApiContext) => (r.guideModelId ? modelById(ctx, r.guideModelId) : null),
    methodLabel: (r: Run) => runMethodLabel(r as Run & { method: MethodId; methodParams: MethodParams; guidance: GuidanceType }),
    evaluatorModel: (r: Run, _: unknown, ctx: ApiContext) => modelById(ctx, r.evaluatorModelId),
    job: async (r: Run, _: unknown, ctx: ApiContext) => loaders(ctx).queueJob.load(runJobKey(r.id)),
  },

  TradeoffSeries: {
    sweepName: async (t: { sweepId: string }, _: unknown, ctx: ApiContext) => (await sweepById(ctx, t.sweepId)).name,
  },

  Rescore: {
    evaluatorModel: (r: Rescore, _: unknown, ctx: ApiContext) => modelById(ctx, r.evaluatorModelId),
  },

  Model: {
    progress: (m: Model) => modelDone(m),
    job: async (m: Model, _: unknown, ctx: ApiContext) => loaders(ctx).queueJob.load(trainJobKey(m.id)),
    sweeps: (m: Model, _: unknown, ctx: ApiContext) =>
      ctx.prisma.sweep.findMany({ where: { models: { some: { modelId: m.id } } }, orderBy: { createdAt: 'desc' } }),
  },

  Worker: {
    alive: (w: Worker) => Date.now() - w.lastHeartbeat.getTime() < WORKER_STALE_MS,
  },
};
