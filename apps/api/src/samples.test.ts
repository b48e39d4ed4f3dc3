/**
 * A run's stored samples through the API against a real PostgreSQL (no worker: the rows a worker
 * writes are written directly): the .npz and .zip downloads, single PNGs, the paged GraphQL view
 * with predictions, re-scoring jobs, per-evaluator scores in the trade-off, the size cap, deletion.
 */
import { packPredictions, packSamples, type PrismaClient } from '@guidance-lab/db';
import { samplesFromNpz, storedSamples, type SampleSet } from '@guidance-lab/experiments';
import { unzipSync } from 'fflate';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from './server';
import { startApiStack, type ApiStack } from './testing';

let prisma: PrismaClient;
let api: ApiServer;
let stack: ApiStack;

beforeAll(async () => {
  stack = await startApiStack({ GUIDANCE_MAX_SAMPLE_BYTES: '1000000' });
  ({ prisma, api } = stack);
});
afterAll(() => stack?.stop());

const gql: ApiStack['gql'] = (...args) => stack.gql(...args);
const get = (path: string) => fetch(new URL(path, api.url));
const LAUNCH = `mutation($spec: JSON!) { launchSweep(spec: $spec) { id } }`;
const RESCORE = `mutation($id: ID!, $evaluator: JSON) { rescoreSweep(id: $id, evaluator: $evaluator) { id } }`;
const CLASSES = 10;
const PER_CLASS = 3;

/** Seeded image samples with every byte value represented; sample i of class c is c·PER_CLASS + j. */
function imageSet(seed: number): SampleSet {
  const x = Float32Array.from({ length: CLASSES * PER_CLASS * 28 * 28 }, (_, i) => Math.sin(i * 0.37 + seed));
  return storedSamples(x, [28, 28, 1], Int32Array.from({ length: CLASSES * PER_CLASS }, (_, i) => Math.floor(i / PER_CLASS)), seed);
}

/** What a worker stores when a run is sampled and scored by the evaluator with weights hash `hash`. */
async function storeRun(runId: string, set: SampleSet, hash: string, fid: number) {
  const n = set.y.length;
  const predictions = { predicted: Int32Array.from(set.y, (y, i) => (i % 2 ? y : (y + 1) % CLASSES)), confidence: Float32Array.from({ length: n }, (_, i) => 0.5 + i / (4 * n)) };
  await prisma.runSamples.create({ data: { runId, ...packSamples(set) } });
  await prisma.samplePredictions.create({ data: { runId, evaluatorHash: hash, ...packPredictions(predictions) } });
  await prisma.metric.createMany({ data: ['fid', 'is'].map((name, i) => ({ runId, name, value: fid + i, std: null, n, evaluatorHash: hash, referenceSet: 'mnist:test:2000' })) });
  await prisma.sampleGrid.create({ data: { runId, png: new Uint8Array([1]), rows: CLASSES, cols: PER_CLASS, cellSize: 56, classNames: Array.from({ length: CLASSES }, (_, c) => `digit ${c}`) } });
  await prisma.run.update({ where: { id: runId }, data: { status: 'succeeded', n } });
  return predictions;
}

describe("a run's samples", () => {
  let sweepId: string;
  let runIds: string[];
  let sets: SampleSet[];
  let predictions: { predicted: Int32Array; confidence: Float32Array };

  beforeAll(async () => {
    const { data } = await gql(LAUNCH, { spec: { dataset: { kind: 'mnist' }, guidance: ['classifier-free'], scales: [1, 3], samplesPerClass: PER_CLASS } });
    sweepId = data.launchSweep.id;
    const runs = await prisma.run.findMany({ where: { sweepId }, orderBy: { scale: 'asc' } });
    runIds = runs.map((r) => r.id);
    await prisma.model.updateMany({ where: { sweeps: { some: { sweepId } } }, data: { status: 'succeeded' } });
    await prisma.model.update({ where: { id: runs[0].evaluatorModelId }, data: { weightsHash: 'own' } });
    sets = [imageSet(1), imageSet(2)];
    predictions = await storeRun(runIds[0], sets[0], 'own', 10);
    await storeRun(runIds[1], sets[1], 'own', 20);
  });

  it('downloads as samples.npz that reads back bit for bit', async () => {
    const { data } = await gql(`query($id: ID!) { run(id: $id) { samplesNpzUrl samplesZipUrl } }`, { id: runIds[0] });
    const res = await fetch(data.run.samplesNpzUrl);
    expect(res.status).toBe(200);
    expect(samplesFromNpz(new Uint8Array(await res.arrayBuffer()))).toEqual(sets[0]);
    expect(data.run.samplesZipUrl).toMatch(/\/runs\/.+\/samples\.zip$/);
    // Listed with their sweep, runs give the same links and their own evaluator.
    const listed = (await gql(`query($id: ID!) { sweep(id: $id) { runs { samplesNpzUrl evaluatorHash } } }`, { id: sweepId })).data.sweep.runs;
    expect(listed).toEqual(runIds.map((id) => ({ samplesNpzUrl: expect.stringContaining(`/runs/${id}/samples.npz`), evaluatorHash: 'own' })));
  });

  it('downloads as samples.zip: one PNG per image in a folder per class, with the stored pixels', async () => {
    const res = await get(`/runs/${runIds[0]}/samples.zip`);
    expect(res.headers.get('content-type')).toBe('application/zip');
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    const names = Object.keys(files).sort();
    expect(names).toHaveLength(CLASSES * PER_CLASS);
    expect(names.slice(0, 4)).toEqual(['digit_0/00.png', 'digit_0/01.png', 'digit_0/02.png', 'digit_1/03.png']);
    const png = PNG.sync.read(Buffer.from(files['digit_1/04.png']));
    expect([png.width, png.height]).toEqual([28, 28]);
    const grey = Array.from({ length: 28 * 28 }, (_, p) => png.data[4 * p]);
    expect(grey).toEqual([...sets[0].x.subarray(4 * 784, 5 * 784)]);
  });

  it('serves one sample as PNG, and a clear 404 for what is not there', async () => {
    const one = await get(`/runs/${runIds[1]}/samples/29.png`);
    expect(one.headers.get('content-type')).toBe('image/png');
    expect(PNG.sync.read(Buffer.from(await one.arrayBuffer())).data[0]).toBe(sets[1].x[29 * 784]);
    const past = await get(`/runs/${runIds[1]}/samples/30.png`);
    expect(past.status).toBe(404);
    expect(((await past.json()) as { error: { message: string } }).error.message).toContain('0.png to 29.png');
    expect((await get('/runs/nope/samples.npz')).status).toBe(404);
    expect((await get(`/runs/${runIds[0]}/samples.tar`)).status).toBe(404);
  });

  it('pages through every sample, filtered by class, with the evaluator’s predicted class and confidence', async () => {
    const PAGE = `query($run: ID!, $cls: Int, $offset: Int, $limit: Int) { samples(runId: $run, class: $cls, offset: $offset, limit: $limit) {
      total offset classNames evaluatorHash shape items { index label className predicted confidence imageUrl point } } }`;
    const all = (await gql(PAGE, { run: runIds[0], offset: 25, limit: 10 })).data.samples;
    expect(all.total).toBe(30);
    expect(all.items.map((i: any) => i.index)).toEqual([25, 26, 27, 28, 29]);
    expect(all.shape).toEqual([28, 28, 1]);
    expect(all.evaluatorHash).toBe('own');
    const page = (await gql(PAGE, { run: runIds[0], cls: 7, offset: 1, limit: 5 })).data.samples;
    expect(page.total).toBe(PER_CLASS);
    expect(page.items.map((i: any) => [i.index, i.label, i.className, i.predicted])).toEqual([
      [22, 7, 'digit 7', predictions.predicted[22]],
      [23, 7, 'digit 7', predictions.predicted[23]],
    ]);
    expect(page.items[0].confidence).toBe(predictions.confidence[22]);
    expect(page.items[0].imageUrl).toMatch(new RegExp(`/runs/${runIds[0]}/samples/22\\.png$`));
    expect(page.items[0].point).toBeNull();
    const bad = await gql(PAGE, { run: runIds[0], cls: 10 });
    expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'class' });
    expect(bad.errors![0].message).toContain('from 0 to 9');
    expect((await gql(PAGE, { run: runIds[0], limit: 501 })).errors![0].extensions.field).toBe('limit');
    expect((await gql(PAGE, { run: 'nope' })).errors![0].extensions.code).toBe('NOT_FOUND');
    // A malformed id (here with a NUL byte) names no run, and never reaches PostgreSQL.
    expect((await gql(PAGE, { run: 'a\u0000' })).errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'runId' });
  });

  it('rescoreSweep with the own evaluator queues one re-scoring job per run; with another, trains that evaluator first', async () => {
    expect((await gql(RESCORE, { id: sweepId })).errors).toBeUndefined();
    const own = await prisma.rescore.findMany({ where: { run: { sweepId } }, include: { evaluatorModel: true } });
    expect(own).toHaveLength(2);
    expect(own.every((r) => r.evaluatorModel.weightsHash === 'own' && r.status === 'queued')).toBe(true);
    const jobs = async (task: string) => (await prisma.$queryRaw<{ key: string }[]>`SELECT key FROM graphile_worker.jobs WHERE task_identifier = ${task} ORDER BY key`).map((j) => j.key);
    expect(await jobs('rescore_run')).toEqual(own.map((r) => `rescore:${r.id}`).sort());

    expect((await gql(RESCORE, { id: sweepId, evaluator: { steps: 77 } })).errors).toBeUndefined();
    const other = await prisma.model.findFirstOrThrow({ where: { kind: 'evaluator', config: { path: ['classifier', 'steps'], equals: 77 } } });
    expect(other.status).toBe('queued');
    expect(await jobs('train_model')).toContain(`train:${other.id}`);
    const waiting = await prisma.rescore.findMany({ where: { evaluatorModelId: other.id } });
    expect(waiting).toHaveLength(2);
    expect(await jobs('rescore_run')).toHaveLength(2); // the new ones wait for their evaluator

    // Asking again while they wait changes nothing.
    await gql(RESCORE, { id: sweepId, evaluator: { steps: 77 } });
    expect(await prisma.rescore.count({ where: { evaluatorModelId: other.id } })).toBe(2);
  });

  it('names a bad evaluator field, and refuses a sweep with nothing stored', async () => {
    const bad = await gql(RESCORE, { id: sweepId, evaluator: { depth: 99 } });
    expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'evaluator.depth' });
    const unknown = await gql(RESCORE, { id: sweepId, evaluator: { layers: 2 } });
    expect(unknown.errors![0].message).toContain('layers');
    const { data } = await gql(LAUNCH, { spec: { dataset: { kind: 'toy2d' }, guidance: ['none'], scales: [0], samplesPerClass: 5 } });
    const empty = await gql(RESCORE, { id: data.launchSweep.id });
    expect(empty.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
  });

  it('keeps scores per evaluator: the trade-off shows the own evaluator by default and another on request', async () => {
    await prisma.metric.createMany({ data: runIds.map((runId, i) => ({ runId, name: 'fid', value: 100 + i, n: 30, evaluatorHash: 'other', referenceSet: 'mnist:test:2000' })) });
    const TRADEOFF = `query($id: ID!, $hash: String) { tradeoff(sweepId: $id, evaluatorHash: $hash) { points { scale fid } } sweep(id: $id) { evaluators { hash own runsScored } } }`;
    const fids = (data: any) => data.tradeoff[0].points.map((p: any) => p.fid);
    const mine = (await gql(TRADEOFF, { id: sweepId })).data;
    expect(fids(mine)).toEqual([10, 20]);
    expect(mine.sweep.evaluators).toEqual([{ hash: 'own', own: true, runsScored: 2 }, { hash: 'other', own: false, runsScored: 2 }]);
    expect(fids((await gql(TRADEOFF, { id: sweepId, hash: 'other' })).data)).toEqual([100, 101]);
    const run = (await gql(`query($id: ID!) { run(id: $id) { evaluatorHash metrics { fid is } other: metrics(evaluatorHash: "other") { fid is } } }`, { id: runIds[0] })).data.run;
    expect(run).toEqual({ evaluatorHash: 'own', metrics: { fid: 10, is: 11 }, other: { fid: 100, is: null } });
  });

  it('deleting the sweep deletes its samples, predictions and re-scorings', async () => {
    expect((await gql(`mutation($id: ID!) { deleteSweep(id: $id) }`, { id: sweepId })).errors).toBeUndefined();
    expect([await prisma.runSamples.count(), await prisma.samplePredictions.count(), await prisma.rescore.count()]).toEqual([0, 0, 0]);
    expect((await get(`/runs/${runIds[0]}/samples.npz`)).status).toBe(404);
  });
});

describe('2-D points', () => {
  it('download as float32 .npz; there is no PNG zip, and the page gives each point', async () => {
    const { data } = await gql(LAUNCH, { spec: { dataset: { kind: 'toy2d', classes: 2 }, guidance: ['none'], scales: [0], samplesPerClass: 5 } });
    const run = await prisma.run.findFirstOrThrow({ where: { sweepId: data.launchSweep.id } });
    const set = storedSamples(new Float32Array([0.1, -0.2, 1e-9, 4, -3.5, 2, 0, 7]), [2], new Int32Array([0, 0, 1, 1]), 11);
    await prisma.runSamples.create({ data: { runId: run.id, ...packSamples(set) } });
    expect(samplesFromNpz(new Uint8Array(await (await get(`/runs/${run.id}/samples.npz`)).arrayBuffer()))).toEqual(set);
    const zip = await get(`/runs/${run.id}/samples.zip`);
    expect(zip.status).toBe(404);
    expect(((await zip.json()) as { error: { message: string } }).error.message).toContain('2-D points, not images');
    const page = (await gql(`query($id: ID!) { samples(runId: $id, class: 1) { items { index point imageUrl predicted } } run(id: $id) { samplesZipUrl } }`, { id: run.id })).data;
    expect(page.samples.items).toEqual([
      { index: 2, point: [set.x[4], set.x[5]], imageUrl: null, predicted: null },
      { index: 3, point: [set.x[6], set.x[7]], imageUrl: null, predicted: null },
    ]);
    expect(page.run.samplesZipUrl).toBeNull();
  });
});

describe('the sample store cap', () => {
  it('refuses a sweep whose samples would exceed GUIDANCE_MAX_SAMPLE_BYTES, naming the numbers and the field', async () => {
    const { errors } = await gql(LAUNCH, { spec: { dataset: { kind: 'mnist' }, guidance: ['classifier-free'], scales: [1, 2, 3], samplesPerClass: 50 } });
    expect(errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'samplesPerClass', limit: 'GUIDANCE_MAX_SAMPLE_BYTES' });
    expect(errors![0].message).toBe(
      'samplesPerClass would store 1194000 bytes of samples (3 runs × 500 samples × 796 bytes, uncompressed), more than GUIDANCE_MAX_SAMPLE_BYTES = 1000000',
    );
    const { errors: none } = await gql(LAUNCH, { spec: { dataset: { kind: 'mnist' }, guidance: ['classifier-free'], scales: [1, 2], samplesPerClass: 50 } });
    expect(none).toBeUndefined(); // 796000 bytes fit
  });
});
