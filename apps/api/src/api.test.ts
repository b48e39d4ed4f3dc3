/**
 * The API over real HTTP against a real PostgreSQL (no worker): launching and model reuse,
 * graphile jobs, cancel / retry / delete, trade-off series, exports, bad input, depth, auth and
 * the progress subscription. Worker effects (a model trained, a run failed) are written directly.
 */
import type { PrismaClient, TestDatabase } from '@guidance-lab/db';
import type { WorkerUtils } from 'graphile-worker';
import { readFileSync } from 'node:fs';
import { buildSchema, isEnumType, isObjectType } from 'graphql';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ApiServer } from './server';
import { startApiStack, type ApiStack, type GqlError } from './testing';

let db: TestDatabase;
let prisma: PrismaClient;
let api: ApiServer;
let utils: WorkerUtils;
let stack: ApiStack;

beforeAll(async () => {
  stack = await startApiStack({ GUIDANCE_MAX_RUNS: '50', GUIDANCE_MAX_SAMPLES: '100000', GUIDANCE_PROGRESS_POLL_MS: '50' });
  ({ db, prisma, api, utils } = stack);
});
afterAll(() => stack?.stop());

const gql: ApiStack['gql'] = (...args) => stack.gql(...args);
/** The one error a request must fail with. */
async function gqlError(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const { errors } = await gql(query, variables, headers);
  expect(errors).toHaveLength(1);
  expect(errors![0].extensions.stacktrace).toBeUndefined();
  return errors![0];
}

const LAUNCH = `mutation($spec: JSON!, $name: String) { launchSweep(spec: $spec, name: $name) { id name status } }`;
/** 4 models (evaluator, ε-nets at p_uncond 0.1 and 1, noisy classifier) and 5 runs. */
const tiny = (over: Record<string, unknown> = {}) => ({
  dataset: { kind: 'toy2d' },
  guidance: ['none', 'classifier-free', 'classifier'],
  scales: [1, 3],
  pUncond: [0.1],
  samplesPerClass: 10,
  ...over,
});
async function launch(spec: unknown, name?: string): Promise<string> {
  const { data, errors } = await gql(LAUNCH, { spec, name });
  expect(errors).toBeUndefined();
  return data.launchSweep.id;
}
const jobKeys = () => stack.jobKeys();
async function jobsFor(keys: string[]) {
  return prisma.$queryRaw<{ id: string; key: string; task_identifier: string; attempts: number }[]>`
    SELECT id::text, key, task_identifier, attempts FROM graphile_worker.jobs WHERE key = ANY(${keys}::text[]) ORDER BY key`;
}
const modelIdsOf = async (sweepId: string) => (await prisma.sweepModel.findMany({ where: { sweepId } })).map((l) => l.modelId).sort();
const runIdsOf = async (sweepId: string) => (await prisma.run.findMany({ where: { sweepId }, orderBy: { id: 'asc' } })).map((r) => r.id);
/** What a worker does when a model finishes: mark it and complete its job. */
async function trainModels(ids: string[]) {
  await prisma.model.updateMany({ where: { id: { in: ids } }, data: { status: 'succeeded', step: 10, totalSteps: 10 } });
  const jobs = await jobsFor(ids.map((id) => `train:${id}`));
  await utils.completeJobs(jobs.map((j) => j.id));
}

describe('schema', () => {
  it('describes every type, field, argument and enum value', () => {
    const schema = buildSchema(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'));
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)) continue;
      if (!type.description) missing.push(type.name);
      if (isObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of field.args) if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
      if (isEnumType(type)) for (const v of type.getValues()) if (!v.description) missing.push(`${type.name}.${v.name}`);
    }
    expect(missing).toEqual([]);
  });
});

describe('launching', () => {
  let first: string;
  it('stores the sweep, its models and runs, and queues one train job per model', async () => {
    first = await launch(tiny(), 'first');
    const { data } = await gql(`query($id: ID!) { sweep(id: $id) { name status counts { total queued } models { kind status totalSteps }
      runs { guidance pUncond scale w seed sampler steps eta samplesPerClass status classifierModel { kind } } } }`, { id: first });
    expect(data.sweep.name).toBe('first');
    expect(data.sweep.counts).toEqual({ total: 5, queued: 5 });
    expect(data.sweep.models.map((m: { kind: string }) => m.kind).sort()).toEqual(['eps', 'eps', 'evaluator', 'noisy_classifier']);
    // Defaults filled in by the spec: toy2d trains 4000 steps, classifiers 3000, DDIM 50 steps η = 0.
    expect(data.sweep.models.map((m: { totalSteps: number }) => m.totalSteps).sort()).toEqual([3000, 3000, 4000, 4000]);
    expect(data.sweep.runs.map((r: any) => [r.guidance, r.pUncond, r.scale, r.w, r.classifierModel?.kind ?? null])).toEqual([
      ['classifier', 1, 1, 0, 'noisy_classifier'],
      ['classifier', 1, 3, 2, 'noisy_classifier'],
      ['classifier-free', 0.1, 1, 0, null],
      ['classifier-free', 0.1, 3, 2, null],
      ['none', 0.1, 0, -1, null],
    ]);
    expect(data.sweep.runs[0]).toMatchObject({ seed: 0, sampler: 'ddim', steps: 50, eta: 0, samplesPerClass: 10, status: 'queued' });
    const models = await modelIdsOf(first);
    const jobs = await jobsFor(models.map((id) => `train:${id}`));
    expect(jobs.map((j) => j.task_identifier)).toEqual(['train_model', 'train_model', 'train_model', 'train_model']);
    expect(jobs.map((j) => j.key).sort()).toEqual(models.map((id) => `train:${id}`).sort());
    expect(await jobsFor((await runIdsOf(first)).map((id) => `run:${id}`))).toEqual([]);
  });

  it('a second identical sweep reuses the trained models: no train jobs, its runs queued at once', async () => {
    await trainModels(await modelIdsOf(first));
    const before = await prisma.model.count();
    const second = await launch(tiny(), 'second');
    expect(await prisma.model.count()).toBe(before);
    expect(await modelIdsOf(second)).toEqual(await modelIdsOf(first));
    const keys = await jobKeys();
    expect(keys.filter((k) => k.startsWith('train:'))).toEqual([]);
    expect(keys.filter((k) => k.startsWith('run:')).sort()).toEqual((await runIdsOf(second)).map((id) => `run:${id}`).sort());
  });

  it('lists sweeps newest first, in pages', async () => {
    const page = `query($after: String) { sweeps(first: 1, after: $after) { totalCount nodes { name } pageInfo { hasNextPage endCursor } } }`;
    const one = (await gql(page)).data.sweeps;
    expect(one).toMatchObject({ totalCount: 2, nodes: [{ name: 'second' }], pageInfo: { hasNextPage: true } });
    const two = (await gql(page, { after: one.pageInfo.endCursor })).data.sweeps;
    expect(two).toMatchObject({ nodes: [{ name: 'first' }], pageInfo: { hasNextPage: false } });
  });

  it("a list's progress and counts (loaded for all its sweeps at once) are each sweep's own", async () => {
    const fields = `id progress counts { total queued running succeeded failed cancelled }`;
    const listed = (await gql(`{ sweeps(first: 10) { nodes { ${fields} } } }`)).data.sweeps.nodes;
    expect(listed).toHaveLength(2);
    for (const s of listed) expect((await gql(`query($id: ID!) { sweep(id: $id) { ${fields} } }`, { id: s.id })).data.sweep).toEqual(s);

    // Progress: a run scoring half-way counts 0.8 + 0.2 · 0.5, a succeeded run 1, a model a quarter trained 0.25.
    const id = listed[0].id as string;
    const [runs, models] = [await prisma.run.findMany({ where: { sweepId: id } }), await prisma.model.findMany({ where: { sweeps: { some: { sweepId: id } } } })];
    const before = { runs, models };
    try {
      await prisma.run.updateMany({ where: { sweepId: id }, data: { status: 'queued', phase: 'waiting', progress: 0 } });
      await prisma.run.update({ where: { id: runs[0].id }, data: { status: 'running', phase: 'scoring', progress: 0.5 } });
      await prisma.run.update({ where: { id: runs[1].id }, data: { status: 'succeeded', phase: 'done', progress: 1 } });
      await prisma.model.updateMany({ where: { id: { in: models.map((m) => m.id) } }, data: { status: 'queued', step: 0, totalSteps: 100 } });
      await prisma.model.update({ where: { id: models[0].id }, data: { status: 'running', step: 25 } });
      const after = (await gql(`{ sweeps(first: 10) { nodes { ${fields} } } }`)).data.sweeps.nodes.find((s: { id: string }) => s.id === id);
      expect(after.progress).toBeCloseTo((0.9 + 1 + 0.25) / (runs.length + models.length), 12);
      expect(after.counts).toEqual({ total: runs.length, queued: runs.length - 2, running: 1, succeeded: 1, failed: 0, cancelled: 0 });
    } finally {
      for (const r of before.runs) await prisma.run.update({ where: { id: r.id }, data: { status: r.status, phase: r.phase, progress: r.progress } });
      for (const m of before.models) await prisma.model.update({ where: { id: m.id }, data: { status: m.status, step: m.step, totalSteps: m.totalSteps } });
    }
  });
});

describe('cancel, retry, delete', () => {
  it('cancel stops the sweep and its jobs but not training another active sweep needs', async () => {
    const a = await launch(tiny({ seeds: [5] }), 'a');
    const b = await launch(tiny({ seeds: [5], scales: [2] }), 'b'); // same models as a
    const shared = (await prisma.model.findMany({ where: { id: { in: await modelIdsOf(a) }, status: 'queued' } })).map((m) => m.id);
    expect(shared).toHaveLength(3); // the evaluator (seed-independent) is already trained
    const trainKeys = shared.map((id) => `train:${id}`).sort();

    const { data } = await gql(`mutation($id: ID!) { cancelSweep(id: $id) { status counts { cancelled } } }`, { id: a });
    expect(data.cancelSweep).toEqual({ status: 'cancelled', counts: { cancelled: 5 } });
    expect((await prisma.model.findMany({ where: { id: { in: shared } } })).map((m) => m.status)).toEqual(['queued', 'queued', 'queued']);
    expect((await jobsFor(trainKeys)).map((j) => j.key)).toEqual(trainKeys);

    await gql(`mutation($id: ID!) { cancelSweep(id: $id) { id } }`, { id: b });
    expect((await prisma.model.findMany({ where: { id: { in: shared } } })).map((m) => m.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(await jobsFor(trainKeys)).toEqual([]);
    expect((await prisma.run.findMany({ where: { sweepId: b } })).every((r) => r.status === 'cancelled')).toBe(true);
  });

  it('retryFailed requeues failed runs and models, keeping attempts, and queues fresh jobs', async () => {
    const s = await launch(tiny({ seeds: [7] }), 'retry');
    const [model] = await prisma.model.findMany({ where: { id: { in: await modelIdsOf(s) }, kind: 'noisy_classifier' } });
    const [run] = await prisma.run.findMany({ where: { sweepId: s }, take: 1 });
    // A worker gave up on both: statuses failed, jobs permanently failed (they keep their keys).
    await prisma.model.update({ where: { id: model.id }, data: { status: 'failed', attempts: 3, error: 'nan loss' } });
    await prisma.run.update({ where: { id: run.id }, data: { status: 'failed', attempts: 2, error: 'oom' } });
    await utils.addJob('sample_and_score', { runId: run.id }, { jobKey: `run:${run.id}` });
    const dead = await jobsFor([`train:${model.id}`, `run:${run.id}`]);
    await utils.permanentlyFailJobs(dead.map((j) => j.id), 'gave up');

    const { data } = await gql(`mutation($id: ID!) { retryFailed(id: $id) { status } }`, { id: s });
    expect(data.retryFailed.status).toBe('queued');
    expect(await prisma.model.findUnique({ where: { id: model.id } })).toMatchObject({ status: 'queued', attempts: 3, error: null });
    expect(await prisma.run.findUnique({ where: { id: run.id } })).toMatchObject({ status: 'queued', attempts: 2, error: null });
    // The model's job is fresh; the run waits for its models, so its dead job is just gone.
    const jobs = await jobsFor([`train:${model.id}`, `run:${run.id}`]);
    expect(jobs.map((j) => [j.key, j.attempts])).toEqual([[`train:${model.id}`, 0]]);
  });

  it('shows each model\'s and run\'s queue job: attempts made and allowed, none once done or not yet queued', async () => {
    const s = await launch(tiny({ seeds: [8] }), 'attempts');
    // The models with a training job (the evaluator, shared with the sweeps above, was trained already), in key order.
    const [dying, waiting, ...others] = await jobsFor((await modelIdsOf(s)).map((id) => `train:${id}`));
    const [failing, queued] = [dying, waiting].map((j) => j.key.slice('train:'.length));
    await utils.permanentlyFailJobs([dying.id], 'nan loss');
    await trainModels(others.map((j) => j.key.slice('train:'.length)));
    const { data, errors } = await gql(`query($id: ID!) { sweep(id: $id) { models { id job { attempts maxAttempts } } runs { job { attempts } } } }`, { id: s });
    expect(errors).toBeUndefined();
    const jobOf = new Map(data.sweep.models.map((m: { id: string; job: unknown }) => [m.id, m.job]));
    expect(jobOf.get(failing)).toEqual({ attempts: 3, maxAttempts: 3 });
    expect(jobOf.get(queued)).toEqual({ attempts: 0, maxAttempts: 3 });
    for (const id of await modelIdsOf(s)) if (id !== failing && id !== queued) expect(jobOf.get(id)).toBeNull();
    // Every run still waits for a model, so none has a job yet.
    expect(data.sweep.runs.map((r: { job: unknown }) => r.job)).toEqual(data.sweep.runs.map(() => null));
  });

  it('delete removes the sweep, its runs and jobs, and only the models no other sweep uses', async () => {
    const x = await launch(tiny({ seeds: [9] }), 'x');
    const y = await launch(tiny({ seeds: [9], guidance: ['none'] }), 'y'); // shares the evaluator and one ε-net
    const xModels = await modelIdsOf(x);
    const yModels = await modelIdsOf(y);
    const xRuns = await runIdsOf(x);
    const { data } = await gql(`mutation($id: ID!) { deleteSweep(id: $id) }`, { id: x });
    expect(data.deleteSweep).toBe(x);
    expect(await prisma.sweep.findUnique({ where: { id: x } })).toBeNull();
    expect(await prisma.run.count({ where: { id: { in: xRuns } } })).toBe(0);
    const left = (await prisma.model.findMany({ where: { id: { in: xModels } } })).map((m) => m.id).sort();
    expect(left).toEqual(yModels);
    const gone = xModels.filter((id) => !yModels.includes(id));
    expect(gone).toHaveLength(2);
    expect(await jobsFor(gone.map((id) => `train:${id}`))).toEqual([]);
    expect((await jobsFor(yModels.map((id) => `train:${id}`))).length).toBe(1); // the ε-net; the evaluator is trained
  });
});

describe('results', () => {
  let sweepId: string;
  const floor = { fid: 0.5, is: 9.5, isStd: 0.1, kid: 0.01, precision: 0.7, recall: 0.71, density: 1.02, coverage: 0.97, adherence: 0.96 };
  const scales = [4, 0.5, 2];
  beforeAll(async () => {
    sweepId = await launch(tiny({ guidance: ['classifier-free', 'none'], scales, pUncond: [0.2, 0.1], seeds: [0, 1] }), 'results');
    const runs = await prisma.run.findMany({ where: { sweepId } });
    // Scores shown are each run's own evaluator's: the one whose weights hash they carry.
    await prisma.model.update({ where: { id: runs[0].evaluatorModelId }, data: { weightsHash: 'evalhash' } });
    for (const r of runs) {
      const v = r.scale * 10 + r.seed + r.pUncond; // known values: the mean over seeds 0 and 1 adds 0.5
      // An evaluator just below the 0.98 bar, and a floor, as the worker stores them.
      await prisma.run.update({ where: { id: r.id }, data: { status: 'succeeded', n: 40, backend: 'wasm' } });
      await prisma.runEvaluation.create({ data: { runId: r.id, evaluatorHash: 'evalhash', accuracy: 0.97, attainable: 1, floor: { n: 40, metrics: floor } } });
      await prisma.metric.createMany({
        data: ['fid', 'is', 'kid', 'precision', 'recall', 'adherence', 'density', 'coverage'].map((name, i) => ({
          runId: r.id, name, value: v + i, std: name === 'is' ? 0.5 : null, n: 40, evaluatorHash: 'evalhash', referenceSet: 'toy2d:test:2000',
        })),
      });
      if (r.seed === 1) await prisma.sampleGrid.create({ data: { runId: r.id, png: new Uint8Array([137, 80, 78, 71, r.scale]), rows: 4, cols: 8, cellSize: 16, classNames: ['0', '1', '2', '3'] } });
    }
  });

  it('tradeoff gives one series per guidance × p_uncond, points ordered by scale, metrics averaged over seeds', async () => {
    const { data } = await gql(`query($id: ID!) { tradeoff(sweepId: $id) { guidance pUncond label points { scale w seeds fid is isStd adherence density coverage std { fid is adherence coverage } gridUrl runIds } } }`, { id: sweepId });
    const series = data.tradeoff;
    expect(series.map((s: any) => [s.guidance, s.pUncond])).toEqual([['none', 0.1], ['none', 0.2], ['classifier-free', 0.1], ['classifier-free', 0.2]]);
    const cfg = series[2];
    expect(cfg.label).toBe('classifier-free, p_uncond 0.1');
    expect(cfg.points.map((p: any) => [p.scale, p.w, p.seeds])).toEqual([[0.5, -0.5, 2], [2, 1, 2], [4, 3, 2]]);
    expect(cfg.points[2].fid).toBeCloseTo(40 + 0.5 + 0.1, 10);
    expect(cfg.points[2].is).toBeCloseTo(40 + 0.5 + 0.1 + 1, 10);
    expect(cfg.points[2].adherence).toBeCloseTo(40 + 0.5 + 0.1 + 5, 10);
    expect(cfg.points[2].isStd).toBe(0.5);
    expect(cfg.points[2].density).toBeCloseTo(40 + 0.5 + 0.1 + 6, 10);
    expect(cfg.points[2].coverage).toBeCloseTo(40 + 0.5 + 0.1 + 7, 10);
    // Seeds 0 and 1 differ by 1 in every metric: sample std √(2 · 0.5² / 1) = √0.5.
    expect(cfg.points[2].std.fid).toBeCloseTo(Math.SQRT1_2, 10);
    expect(cfg.points[2].std.coverage).toBeCloseTo(Math.SQRT1_2, 10);
    expect(cfg.points[2].runIds).toHaveLength(2);
    expect(cfg.points[2].gridUrl).toMatch(/\/grids\/.+\.png$/);
    expect(series[0].points.map((p: any) => p.scale)).toEqual([0]);
  });

  it('tradeoff(sweepIds) puts several sweeps on one chart: their series in the order asked, each named by its sweep', async () => {
    const other = await launch(tiny({ guidance: ['classifier-free'], scales: [1], pUncond: [0.1] }), 'compared');
    const TRADEOFF = `query($ids: [ID!]) { tradeoff(sweepIds: $ids) { sweepId sweepName guidance pUncond points { scale seeds fid std { fid } } } }`;
    const { data, errors } = await gql(TRADEOFF, { ids: [other, sweepId] });
    expect(errors).toBeUndefined();
    expect(data.tradeoff.map((s: any) => [s.sweepName, s.guidance, s.pUncond])).toEqual([
      ['compared', 'classifier-free', 0.1],
      ['results', 'none', 0.1],
      ['results', 'none', 0.2],
      ['results', 'classifier-free', 0.1],
      ['results', 'classifier-free', 0.2],
    ]);
    expect(data.tradeoff[0]).toMatchObject({ sweepId: other, points: [{ scale: 1, seeds: 0, fid: null, std: { fid: null } }] });
    // The same sweep's series are the same as the single-id form gives.
    const single = (await gql(`query($id: ID!) { tradeoff(sweepId: $id) { sweepId points { scale seeds fid std { fid } } } }`, { id: sweepId })).data.tradeoff;
    expect(data.tradeoff.slice(1).map((s: any) => s.points)).toEqual(single.map((s: any) => s.points));
    expect(single.every((s: any) => s.sweepId === sweepId)).toBe(true);
    const code = (e: GqlError) => [e.extensions.code, e.extensions.field];
    expect(code(await gqlError(`query($id: ID!) { tradeoff(sweepId: $id, sweepIds: [$id]) { label } }`, { id: sweepId }))).toEqual(['BAD_USER_INPUT', 'sweepIds']);
    expect(code(await gqlError(`{ tradeoff { label } }`))).toEqual(['BAD_USER_INPUT', 'sweepId']);
    expect(code(await gqlError(TRADEOFF, { ids: [] }))).toEqual(['BAD_USER_INPUT', 'sweepIds']);
    expect(code(await gqlError(TRADEOFF, { ids: [sweepId, '00000000-0000-4000-8000-000000000000'] }))).toEqual(['NOT_FOUND', 'sweepIds']);
    await gql(`mutation($id: ID!) { deleteSweep(id: $id) }`, { id: other });
  });

  it('serves sample grids as image/png, 404 for unknown runs', async () => {
    const run = await prisma.run.findFirstOrThrow({ where: { sweepId, seed: 1, scale: 4, pUncond: 0.2 } });
    const { data } = await gql(`query($id: ID!) { run(id: $id) { gridUrl grid { rows cols cellSize classNames } evaluatorAccuracy evaluatorReliable floor { fid density coverage } metrics { density coverage } } }`, { id: run.id });
    expect(data.run.grid).toEqual({ rows: 4, cols: 8, cellSize: 16, classNames: ['0', '1', '2', '3'] });
    expect(data.run).toMatchObject({ evaluatorAccuracy: 0.97, evaluatorReliable: false, floor: { fid: 0.5, density: 1.02, coverage: 0.97 }, metrics: { density: 47.2, coverage: 48.2 } });
    // Another evaluator's re-scoring keeps its own verdict and floor beside the run's own.
    await prisma.runEvaluation.create({ data: { runId: run.id, evaluatorHash: 'other', accuracy: 0.995, attainable: 1, floor: { n: 40, metrics: { ...floor, fid: 0.25 } } } });
    const VERDICT = `query($id: ID!, $hash: String) { run(id: $id) { evaluatorAccuracy(evaluatorHash: $hash) evaluatorReliable(evaluatorHash: $hash) floor(evaluatorHash: $hash) { fid } } }`;
    expect((await gql(VERDICT, { id: run.id, hash: 'other' })).data.run).toEqual({ evaluatorAccuracy: 0.995, evaluatorReliable: true, floor: { fid: 0.25 } });
    expect((await gql(VERDICT, { id: run.id })).data.run).toEqual({ evaluatorAccuracy: 0.97, evaluatorReliable: false, floor: { fid: 0.5 } });
    expect((await gql(VERDICT, { id: run.id, hash: 'never' })).data.run).toEqual({ evaluatorAccuracy: null, evaluatorReliable: null, floor: null });
    // Listed with its sweep (the facts loaded with the runs), the same.
    const listed = (await gql(`query($id: ID!) { sweep(id: $id) { runs { id floor(evaluatorHash: "other") { fid } evaluatorAccuracy } } }`, { id: sweepId })).data.sweep.runs.find((r: any) => r.id === run.id);
    expect(listed).toMatchObject({ floor: { fid: 0.25 }, evaluatorAccuracy: 0.97 });
    await prisma.runEvaluation.deleteMany({ where: { evaluatorHash: 'other' } });
    const res = await fetch(data.run.gridUrl);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([137, 80, 78, 71, 4]);
    expect((await fetch(new URL('/grids/nope.png', api.url))).status).toBe(404);
  });

  it('exports results.json in the engine shape and results.csv with w beside s', async () => {
    const json: any = await (await fetch(new URL(`/sweeps/${sweepId}/results.json`, api.url))).json();
    expect(json).toMatchObject({
      backend: 'wasm', engineVersion: '0.1.0', spec: { name: 'results', seeds: [0, 1] },
      evaluator: { hash: 'evalhash', referenceN: 2000, accuracy: 0.97, attainable: 1, reliable: false, floorN: 40 },
      floor,
    });
    expect(json.aggregates).toHaveLength(8);
    const agg = json.aggregates.find((a: any) => a.guidance === 'classifier-free' && a.pUncond === 0.1 && a.scale === 4);
    expect(agg).toMatchObject({ seeds: 2, sampler: 'ddim', n: 40 });
    expect(agg.mean.fid).toBeCloseTo(40.6, 10);
    expect(agg.std.fid).toBeCloseTo(Math.SQRT1_2, 10);
    expect(json.runs).toHaveLength(16); // cfg 2 p × 3 s × 2 seeds + none 2 p × 2 seeds
    const row = json.runs.find((r: any) => r.guidance === 'classifier-free' && r.pUncond === 0.2 && r.scale === 2 && r.seed === 1);
    expect(row).toMatchObject({ sampler: 'ddim', steps: 50, eta: 0, n: 40, metrics: { fid: 21.2, is: 22.2, isStd: 0.5, kid: 23.2, precision: 24.2, recall: 25.2, adherence: 26.2, density: 27.2, coverage: 28.2 } });
    expect(row.grid).toMatch(/\/grids\/.+\.png$/);
    const csv = await (await fetch(new URL(`/sweeps/${sweepId}/results.csv`, api.url))).text();
    const lines = csv.trim().split('\n');
    expect(lines[0].startsWith('guidance,method,methodParams,pUncond,scale,w,seed,sampler,steps,eta,n,fid,is,isStd,kid,precision,recall,density,coverage,adherence,grid,seeds,fidMean,fidSeedStd,')).toBe(true);
    expect(lines).toHaveLength(17);
    expect(lines[1].startsWith('classifier-free,classifier-free,"{""interval"":null,""rescale"":0,""schedule"":""constant""}",0.1,0.5,-0.5,0,ddim,50,0,40,5.1,6.1,0.5,')).toBe(true);
    const header = lines[0].split(',');
    // The quoted methodParams cell holds commas: fold it before splitting.
    const cells = lines[1].replace(/"(?:[^"]|"")*"/g, 'params').split(',');
    expect(cells[header.indexOf('seeds')]).toBe('2');
    expect(Number(cells[header.indexOf('fidMean')])).toBeCloseTo(5.6, 10);
    expect((await fetch(new URL('/sweeps/nope/results.csv', api.url))).status).toBe(404);
  });
});

describe('bad input', () => {
  const code = (e: GqlError) => [e.extensions.code, e.extensions.field];

  it('names the spec field that is out of range, unknown or of the wrong type', async () => {
    const range = await gqlError(LAUNCH, { spec: tiny({ scales: [1, -2] }) });
    expect(code(range)).toEqual(['BAD_USER_INPUT', 'scales.1']);
    expect(range.message).toContain('scales.1 must be a number from 0 to 100');
    const unknown = await gqlError(LAUNCH, { spec: tiny({ scael: 2 }) });
    expect(unknown.extensions.code).toBe('BAD_USER_INPUT');
    expect(unknown.message).toContain('scael');
    expect(code(await gqlError(LAUNCH, { spec: tiny({ dataset: { kind: 'imagenet' } }) }))).toEqual(['BAD_USER_INPUT', 'dataset.kind']);
    expect(code(await gqlError(LAUNCH, { spec: [1, 2] }))).toEqual(['BAD_USER_INPUT', 'spec']);
    expect(code(await gqlError(LAUNCH, { spec: tiny(), name: '' }))).toEqual(['BAD_USER_INPUT', 'name']);
  });

  it('refuses grids over the configured limits, naming the limit', async () => {
    const runs = await gqlError(LAUNCH, { spec: tiny({ scales: Array.from({ length: 30 }, (_, i) => i) }) });
    expect(runs.extensions.code).toBe('BAD_USER_INPUT');
    expect(runs.message).toContain('61 runs');
    expect(runs.message).toContain('GUIDANCE_MAX_RUNS = 50');
    const samples = await gqlError(LAUNCH, { spec: tiny({ samplesPerClass: 10_000 }) });
    expect(code(samples)).toEqual(['BAD_USER_INPUT', 'samplesPerClass']);
    expect(samples.message).toContain('GUIDANCE_MAX_SAMPLES = 100000');
  });

  it('names the preset or the override that is wrong', async () => {
    const LAUNCH_PRESET = `mutation($name: String!, $overrides: JSON) { launchPreset(name: $name, overrides: $overrides, quick: true) { id preset } }`;
    expect(code(await gqlError(LAUNCH_PRESET, { name: 'no-such-preset' }))).toEqual(['BAD_USER_INPUT', 'name']);
    expect(code(await gqlError(LAUNCH_PRESET, { name: 'toy2d-tradeoff', overrides: { sampler: { eta: 2 } } }))).toEqual(['BAD_USER_INPUT', 'sampler.eta']);
    expect(code(await gqlError(LAUNCH_PRESET, { name: 'toy2d-tradeoff', overrides: 'fast' }))).toEqual(['BAD_USER_INPUT', 'overrides']);
    const SIZED = `mutation($name: String!, $size: String) { launchPreset(name: $name, size: $size) { id preset } }`;
    expect(code(await gqlError(SIZED, { name: 'mnist-comparison', size: 'huge' }))).toEqual(['BAD_USER_INPUT', 'size']);
    const missing = await gqlError(SIZED, { name: 'toy2d-tradeoff', size: 'standard' });
    expect(code(missing)).toEqual(['BAD_USER_INPUT', 'size']);
    expect(missing.message).toContain('has no standard size');
  });

  it('answers NOT_FOUND for unknown ids and BAD_USER_INPUT for bad paging', async () => {
    expect(code(await gqlError(`{ sweep(id: "nope") { id } }`))).toEqual(['NOT_FOUND', 'id']);
    expect(code(await gqlError(`{ run(id: "nope") { id } }`))).toEqual(['NOT_FOUND', 'id']);
    expect(code(await gqlError(`mutation { cancelSweep(id: "nope") { id } }`))).toEqual(['NOT_FOUND', 'id']);
    expect(code(await gqlError(`mutation { deleteSweep(id: "nope") }`))).toEqual(['NOT_FOUND', 'id']);
    expect(code(await gqlError(`{ sweeps(first: 0) { totalCount } }`))).toEqual(['BAD_USER_INPUT', 'first']);
    expect(code(await gqlError(`{ sweeps(after: "nope") { totalCount } }`))).toEqual(['BAD_USER_INPUT', 'after']);
  });

  it('rejects queries nested deeper than 8 levels', async () => {
    const sweepId = (await prisma.sweep.findFirstOrThrow()).id;
    const nest = (levels: number) => `{ sweep(id: "${sweepId}") { ${'runs { sweep { '.repeat(levels)}id${' } }'.repeat(levels)} } }`;
    expect((await gql(nest(3))).errors).toBeUndefined(); // depth 7
    const deep = await gqlError(nest(4)); // depth 9
    expect(deep.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(deep.message).toContain('exceeds maximum operation depth of 8');
  });
});

describe('token auth', () => {
  /** A second API on the same database with a token (and optionally token-guarded reads). */
  async function withTokenApi(tokenReads: boolean, body: (url: string) => Promise<void>) {
    const { createApiServer } = await import('./server');
    const guarded = await createApiServer({ prisma, databaseUrl: db.url, port: 0, access: { token: 's3cret', tokenReads } });
    try {
      await body(guarded.url);
    } finally {
      await guarded.stop();
    }
  }
  const post = async (url: string, query: string, headers: Record<string, string> = {}) =>
    (await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) })).json()) as { data?: any; errors?: GqlError[] };

  it('with GUIDANCE_API_TOKEN set, mutations need the bearer token; queries do not', async () => {
    await withTokenApi(false, async (url) => {
      const mutation = `mutation { deleteSweep(id: "nope") }`;
      expect((await post(url, mutation)).errors![0].extensions.code).toBe('UNAUTHENTICATED');
      expect((await post(url, mutation, { authorization: 'Bearer wrong' })).errors![0].extensions.code).toBe('UNAUTHENTICATED');
      expect((await post(url, mutation, { authorization: 'Bearer s3cret' })).errors![0].extensions.code).toBe('NOT_FOUND');
      expect((await post(url, `{ workers { id } }`)).errors).toBeUndefined();
    });
  });

  it('with GUIDANCE_TOKEN_READS=1, queries, subscriptions, exports and grids need the token too', async () => {
    const sweepId = (await prisma.sweep.findFirstOrThrow()).id;
    const gridRun = (await prisma.sampleGrid.findFirst())?.runId;
    await withTokenApi(true, async (url) => {
      const origin = new URL(url).origin;
      const refused = await post(url, `{ workers { host pid } }`);
      expect(refused.errors![0].extensions.code).toBe('UNAUTHENTICATED');
      expect(refused.data ?? null).toBeNull();
      expect((await post(url, `{ workers { host pid } }`, { authorization: 'Bearer s3cret' })).errors).toBeUndefined();
      expect((await post(url, `{ __schema { queryType { name } } }`)).errors![0].extensions.code).toBe('UNAUTHENTICATED');
      for (const path of [`/sweeps/${sweepId}/results.csv`, `/sweeps/${sweepId}/results.json`, `/grids/${gridRun ?? sweepId}.png`]) {
        const res = await fetch(origin + path);
        expect(res.status).toBe(401);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
        expect((await fetch(origin + path, { headers: { authorization: 'Bearer s3cret' } })).status).not.toBe(401);
        expect((await fetch(`${origin}${path}?access_token=s3cret`)).status).not.toBe(401);
      }
      expect((await fetch(`${origin}/health`)).status).toBe(200);
      const subscribe = (authorization?: string) => {
        const client = createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: authorization ? { authorization } : {} });
        const events = client.iterate({ query: `subscription($id: ID!) { sweepProgress(id: $id) { id } }`, variables: { id: sweepId } });
        return { client, first: events.next() };
      };
      const denied = subscribe();
      await expect(denied.first).rejects.toMatchObject({ code: 4403 });
      await denied.client.dispose();
      const allowed = subscribe('Bearer s3cret');
      expect((await allowed.first).value.data.sweepProgress.id).toBe(sweepId);
      await allowed.client.dispose();
    });
  });
});

describe('sweepProgress subscription', () => {
  it('emits the sweep on each change over graphql-ws and completes when it ends', async () => {
    const id = await launch(tiny({ seeds: [11] }), 'live');
    const client = createClient({ url: api.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
    const events = client.iterate<{ sweepProgress: { status: string; counts: { running: number } } }>({
      query: `subscription($id: ID!) { sweepProgress(id: $id) { status counts { running } } }`,
      variables: { id },
    });
    try {
      const first = await events.next();
      expect(first.value.data.sweepProgress).toEqual({ status: 'queued', counts: { running: 0 } });
      const run = await prisma.run.findFirstOrThrow({ where: { sweepId: id } });
      await prisma.run.update({ where: { id: run.id }, data: { status: 'running', phase: 'sampling' } });
      expect((await events.next()).value.data.sweepProgress).toEqual({ status: 'queued', counts: { running: 1 } });
      await gql(`mutation($id: ID!) { cancelSweep(id: $id) { id } }`, { id });
      expect((await events.next()).value.data.sweepProgress).toEqual({ status: 'cancelled', counts: { running: 0 } });
      expect((await events.next()).done).toBe(true);
    } finally {
      await client.dispose();
    }
  });
});

describe('guidance methods', () => {
  const errorField = (e: GqlError) => [e.extensions.code, e.extensions.field];
  it('takes methods: runs carry method and parameters, autoguidance its guide model, the trade-off one curve per setting', async () => {
    const methods = [{ method: 'classifier-free', interval: [[0.3, 1.6], [0.5, 5]] }, { method: 'autoguidance', guide: { hidden: 32, steps: 100 } }];
    const id = await launch(tiny({ guidance: undefined, methods, scales: [2, 3] }), 'methods');
    const { data } = await gql(
      `query($id: ID!) { sweep(id: $id) { runs { guidance method methodParams methodLabel scale guideModel { kind totalSteps } } } tradeoff(sweepId: $id) { guidance method methodParams label points { scale } } }`,
      { id },
    );
    const labels = data.sweep.runs.map((r: any) => `${r.methodLabel} s=${r.scale}`).sort();
    expect(labels).toEqual([
      'autoguidance guide=32w/16-32-32ch/100st s=2',
      'autoguidance guide=32w/16-32-32ch/100st s=3',
      'classifier-free interval=[0.3,1.6] s=2',
      'classifier-free interval=[0.3,1.6] s=3',
      'classifier-free interval=[0.5,5] s=2',
      'classifier-free interval=[0.5,5] s=3',
    ]);
    const auto = data.sweep.runs.find((r: any) => r.method === 'autoguidance');
    expect(auto).toMatchObject({ guidance: 'classifier-free', methodParams: { interval: null, schedule: 'constant', guide: { hidden: 32, depth: 3, steps: 100 } }, guideModel: { kind: 'eps', totalSteps: 100 } });
    expect(data.sweep.runs.find((r: any) => r.method === 'classifier-free').guideModel).toBeNull();
    expect(data.tradeoff.map((s: any) => s.label).sort()).toEqual([
      'autoguidance guide=32w/16-32-32ch/100st, p_uncond 0.1',
      'classifier-free interval=[0.3,1.6], p_uncond 0.1',
      'classifier-free interval=[0.5,5], p_uncond 0.1',
    ]);
    expect(data.tradeoff.every((s: any) => s.points.length === 2)).toBe(true);
    expect(errorField(await gqlError(LAUNCH, { spec: tiny({ methods: [{ method: 'apg', eta: 3 }] }) }))).toEqual(['BAD_USER_INPUT', 'methods.0.eta']);
  });
});
