/**
 * A sweep's life through the real platform: launched over HTTP, trained and scored by a real
 * worker process with the real pipeline, read back over GraphQL; then reuse of trained models,
 * a real failure and retry-failed, cancellation, deletion, and re-scoring from the stored samples.
 */
import { parseSpec, samplesFromNpz } from '@guidance-lab/experiments';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { initBackend } from '../../workers/src/engine/backend/index';
import { sampleAndScore } from '../../workers/src/engine/pipeline';
import { launch, startStack, sweepStatus, startWorkerChild, tinySpec, waitFor, waitForSweep, type Stack, type WorkerChild } from './stack';

const METRICS = ['fid', 'is', 'kid', 'precision', 'recall', 'density', 'coverage', 'adherence'] as const;

interface ServedRun {
  id: string;
  guidance: string;
  pUncond: number;
  scale: number;
  status: string;
  attempts: number;
  error: string | null;
  metrics: Record<string, number | null>;
  grid: { url: string; rows: number; cols: number; cellSize: number } | null;
}

const SWEEP_QUERY = `query($id: ID!) { sweep(id: $id) {
  status
  runs { id guidance pUncond scale status attempts error
    metrics { fid is isStd kid precision recall density coverage adherence }
    grid { url rows cols cellSize } }
  models { id key kind status attempts }
} }`;

async function servedSweep(stack: Stack, id: string) {
  const { sweep } = await stack.gql<{ sweep: { status: string; runs: ServedRun[]; models: { id: string; key: string; kind: string; status: string; attempts: number }[] } }>(SWEEP_QUERY, { id });
  return sweep;
}

let stack: Stack;
let worker: WorkerChild;

beforeAll(async () => {
  stack = await startStack();
  worker = startWorkerChild(stack);
  await worker.id();
});

afterAll(async () => {
  await worker?.stop();
  await stack?.stop();
});

describe('a sweep through the platform', () => {
  // Three ε-nets (p_uncond 0.2, 0.5, and 1 for classifier guidance), a noisy classifier and an
  // evaluator; 2 unguided + 4 classifier-free + 2 classifier-guided runs.
  const specA = tinySpec({
    name: 'lifecycle A',
    guidance: ['none', 'classifier-free', 'classifier'],
    pUncond: [0.2, 0.5],
    classifier: { hidden: 32, depth: 2, steps: 150, batchSize: 64, learningRate: 3e-3 },
  });
  let sweepA = '';

  test('a real worker completes a sweep launched over HTTP, and what the API serves is what the pipeline computes', async () => {
    sweepA = await launch(stack, specA);
    await waitForSweep(stack, sweepA, 'succeeded');
    const sweep = await servedSweep(stack, sweepA);
    expect(sweep.runs).toHaveLength(8);
    expect(sweep.models.map((m) => m.kind).sort()).toEqual(['eps', 'eps', 'eps', 'evaluator', 'noisy_classifier']);
    // Every job ran once in effect: one attempt each, one metric row per score, one grid per run.
    expect(sweep.models.every((m) => m.status === 'succeeded' && m.attempts === 1)).toBe(true);
    expect(sweep.runs.every((r) => r.status === 'succeeded' && r.attempts === 1)).toBe(true);
    const runIds = sweep.runs.map((r) => r.id);
    expect(await stack.prisma.metric.count({ where: { runId: { in: runIds } } })).toBe(8 * METRICS.length);
    expect(await stack.prisma.sampleGrid.count({ where: { runId: { in: runIds } } })).toBe(8);

    // Recompute two grid points from the stored checkpoints with the same pipeline: the metrics the
    // API serves and the PNGs it serves are exactly what that computation gives.
    const spec = parseSpec(specA);
    await initBackend();
    for (const guidance of ['classifier-free', 'classifier']) {
      const run = sweep.runs.find((r) => r.guidance === guidance && r.scale === 3 && r.pUncond !== 0.5)!;
      const row = await stack.prisma.run.findUniqueOrThrow({ where: { id: run.id }, include: { epsModel: true, classifierModel: true, evaluatorModel: true, evaluations: true } });
      const expected = await sampleAndScore(
        { method: guidance as 'classifier-free' | 'classifier', methodParams: {}, pUncond: row.pUncond, scale: 3, seed: 0, sampler: spec.sampler, samplesPerClass: spec.samplesPerClass },
        { dataset: spec.dataset, schedule: spec.schedule },
        { eps: row.epsModel.checkpoint!, classifier: row.classifierModel?.checkpoint ?? null, evaluator: row.evaluatorModel.checkpoint! },
      );
      for (const name of METRICS) expect(run.metrics[name]).toBe(expected.metrics[name]);
      expect(run.metrics.isStd).toBe(expected.metrics.isStd);
      expect(row.n).toBe(expected.n);
      // The evaluator's verdict and the real-data floor are stored with the run under its evaluator's hash, as computed.
      expect(row.evaluations).toHaveLength(1);
      expect(row.evaluations[0]).toMatchObject({ evaluatorHash: row.evaluatorModel.weightsHash, accuracy: expected.evaluation.accuracy, attainable: expected.evaluation.attainable });
      expect(row.evaluations[0].floor).toEqual({ n: expected.evaluation.floorN, metrics: expected.evaluation.floor });

      const response = await fetch(`${stack.origin}/grids/${run.id}.png`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('image/png');
      const png = Buffer.from(await response.arrayBuffer());
      expect(png.equals(Buffer.from(expected.grid.png))).toBe(true);
      const image = PNG.sync.read(png);
      expect(image.width).toBeGreaterThan(0);
      expect(image.height).toBeGreaterThan(0);
      expect(run.grid).toMatchObject({ rows: expected.grid.rows, cols: expected.grid.cols, cellSize: expected.grid.cellSize });
      // Every sample is stored and downloads as exactly the samples that were scored.
      const npz = await fetch(`${stack.origin}/runs/${run.id}/samples.npz`);
      expect(samplesFromNpz(new Uint8Array(await npz.arrayBuffer()))).toEqual(expected.samples);
    }
  });

  test('a second sweep reuses the trained models; a run that fails for a real reason fails alone, and retry-failed re-runs only it', async () => {
    const pUncondOf = (config: unknown) => (config as { pUncond?: number }).pUncond;
    const models = (await stack.prisma.model.findMany()).filter((m) => m.kind === 'evaluator' || [0.2, 0.5].includes(pUncondOf(m.config)!));
    const eps05 = models.find((m) => pUncondOf(m.config) === 0.5)!;
    const goodCheckpoint = eps05.checkpoint!;
    // A corrupted checkpoint: loading it fails inside the pipeline, on every attempt.
    await stack.prisma.model.update({ where: { id: eps05.id }, data: { checkpoint: new Uint8Array(goodCheckpoint.subarray(0, 64)) } });

    const sweepB = await launch(stack, tinySpec({ name: 'lifecycle B', guidance: ['none'], pUncond: [0.2, 0.5] }));
    await waitForSweep(stack, sweepB, 'failed');
    let sweep = await servedSweep(stack, sweepB);
    // Same model keys as sweep A, and nothing was trained again.
    expect(sweep.models.map((m) => m.key).sort()).toEqual(models.map((m) => m.key).sort());
    expect(sweep.models.every((m) => m.attempts === 1)).toBe(true);
    const failed = sweep.runs.find((r) => r.pUncond === 0.5)!;
    const passed = sweep.runs.find((r) => r.pUncond === 0.2)!;
    expect(failed).toMatchObject({ status: 'failed', attempts: 2 });
    expect(failed.error).toBeTruthy();
    expect(passed.status).toBe('succeeded');
    const passedBefore = await stack.prisma.run.findUniqueOrThrow({ where: { id: passed.id }, include: { metrics: true, grid: true } });

    await stack.prisma.model.update({ where: { id: eps05.id }, data: { checkpoint: goodCheckpoint } });
    await stack.gql('mutation($id: ID!) { retryFailed(id: $id) { id } }', { id: sweepB });
    await waitForSweep(stack, sweepB, 'succeeded');
    sweep = await servedSweep(stack, sweepB);
    const passedAfter = await stack.prisma.run.findUniqueOrThrow({ where: { id: passed.id }, include: { metrics: true, grid: true } });
    // The run that had succeeded was left alone: same rows, same finish time.
    expect(passedAfter.finishedAt).toEqual(passedBefore.finishedAt);
    expect(passedAfter.metrics.map((m) => m.id).sort()).toEqual(passedBefore.metrics.map((m) => m.id).sort());
    expect(passedAfter.grid!.id).toBe(passedBefore.grid!.id);
    expect(await stack.prisma.metric.count({ where: { runId: { in: sweep.runs.map((r) => r.id) } } })).toBe(2 * METRICS.length);
    // The retried run equals sweep A's run at the same point: the same reused model, the same seed.
    const twinInA = (await servedSweep(stack, sweepA)).runs.find((r) => r.guidance === 'none' && r.pUncond === 0.5)!;
    expect(sweep.runs.find((r) => r.pUncond === 0.5)!.metrics).toEqual(twinInA.metrics);
    expect(sweep.models.every((m) => m.attempts === 1)).toBe(true);

    // Deleting sweep B removes it and its results; the models sweep A uses stay, and so does A.
    await stack.gql('mutation($id: ID!) { deleteSweep(id: $id) }', { id: sweepB });
    expect(await stack.prisma.run.count({ where: { sweepId: sweepB } })).toBe(0);
    expect(await stack.prisma.metric.count({ where: { runId: { in: sweep.runs.map((r) => r.id) } } })).toBe(0);
    expect(await stack.prisma.sampleGrid.count({ where: { runId: { in: sweep.runs.map((r) => r.id) } } })).toBe(0);
    expect(await stack.prisma.model.count({ where: { id: { in: sweep.models.map((m) => m.id) } } })).toBe(sweep.models.length);
    expect((await servedSweep(stack, sweepA)).runs.every((r) => r.status === 'succeeded' && r.metrics.fid !== null)).toBe(true);
  });

  test('cancelling a sweep stops its running training, and the worker moves on; resumeSweep carries on from the checkpoint', async () => {
    // Fresh models (another dataset seed) with a training far too long to finish during the test.
    const spec = tinySpec({
      name: 'lifecycle C',
      dataset: { kind: 'toy2d', classes: 3, modesPerClass: 2, trainSize: 600, testSize: 300, seed: 7 },
      training: { steps: 100_000, batchSize: 64, learningRate: 2e-3, emaDecay: 0.99, checkpointEvery: 25 },
      guidance: ['none'],
    });
    const sweepC = await launch(stack, spec);
    const eps = await waitFor('the long training to store a checkpoint', async () => {
      const models = await servedSweep(stack, sweepC).then((s) => s.models);
      const id = models.find((m) => m.kind === 'eps')!.id;
      const row = await stack.prisma.model.findUniqueOrThrow({ where: { id }, select: { id: true, status: true, checkpointStep: true } });
      return row.status === 'running' && row.checkpointStep > 0 && row;
    });
    await stack.gql('mutation($id: ID!) { cancelSweep(id: $id) { id } }', { id: sweepC });

    // The API marks the model cancelled at once; the worker lets go of it (clears its id) when its job has ended.
    const stopped = await waitFor('the worker to stop the training', async () => {
      const row = await stack.prisma.model.findUniqueOrThrow({ where: { id: eps.id } });
      return row.workerId === null && row;
    });
    expect(stopped.status).toBe('cancelled');
    expect(stopped.step).toBeLessThan(100_000);
    expect(await sweepStatus(stack, sweepC)).toBe('cancelled');
    const jobs = await stack.prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM graphile_worker.jobs WHERE key = ${`train:${eps.id}`}`;
    expect(Number(jobs[0].n)).toBe(0);
    // The worker is free again: its heartbeat shows no job.
    const workerId = await worker.id();
    await waitFor('the worker to report no current job', async () => (await stack.prisma.worker.findUnique({ where: { id: workerId } }))?.currentJob === null);

    // Resumed: the training goes on from its checkpoint, the trained evaluator is reused as it is.
    const evaluator = await stack.prisma.model.findFirstOrThrow({ where: { kind: 'evaluator', sweeps: { some: { sweepId: sweepC } } } });
    const resumed = await stack.gql<{ resumeSweep: { status: string } }>('mutation($id: ID!) { resumeSweep(id: $id) { status } }', { id: sweepC });
    expect(resumed.resumeSweep.status).toBe('queued');
    await waitFor('the worker to resume the training', async () => worker.output().includes(`resuming from checkpoint at step ${stopped.checkpointStep}`));
    expect(await stack.prisma.model.findUniqueOrThrow({ where: { id: evaluator.id } })).toMatchObject({ status: 'succeeded', attempts: evaluator.attempts });
    expect(await stack.prisma.run.findMany({ where: { sweepId: sweepC }, select: { status: true } })).toEqual([{ status: 'queued' }]);
    // Only a cancelled sweep resumes.
    await expect(stack.gql('mutation($id: ID!) { resumeSweep(id: $id) { id } }', { id: sweepC })).rejects.toThrow(/not cancelled/);
    await stack.gql('mutation($id: ID!) { cancelSweep(id: $id) { id } }', { id: sweepC });
    await waitFor('the training to stop again', async () => (await stack.prisma.model.findUniqueOrThrow({ where: { id: eps.id } })).workerId === null);
  });

  test('re-scoring from the stored samples: the same evaluator reproduces every metric exactly, another adds its own scores', async () => {
    const rescored = async (evaluator: Record<string, number> | null) => {
      await stack.gql('mutation($id: ID!, $evaluator: JSON) { rescoreSweep(id: $id, evaluator: $evaluator) { id } }', { id: sweepA, evaluator });
      await waitFor('the re-scorings to finish', async () => {
        const rows = await stack.prisma.rescore.findMany({ where: { run: { sweepId: sweepA } } });
        return rows.length > 0 && rows.every((r) => r.status === 'succeeded') && rows;
      });
    };
    const rows = async () => stack.prisma.metric.findMany({ where: { run: { sweepId: sweepA } }, orderBy: [{ runId: 'asc' }, { evaluatorHash: 'asc' }, { name: 'asc' }] });
    const before = await rows();
    await rescored(null);
    // Same rows (ids kept by the upsert), same values to the last bit.
    expect(await rows()).toEqual(before);

    await rescored({ steps: 40 });
    const after = await rows();
    const hashes = [...new Set(after.map((m) => m.evaluatorHash))];
    expect(hashes).toHaveLength(2);
    expect(after.length).toBe(2 * before.length);
    const other = hashes.find((h) => h !== before[0].evaluatorHash)!;
    const TRADEOFF = `query($id: ID!, $hash: String) { tradeoff(sweepId: $id, evaluatorHash: $hash) { points { fid } } }`;
    const fids = async (hash: string | null) => (await stack.gql<{ tradeoff: { points: { fid: number }[] }[] }>(TRADEOFF, { id: sweepA, hash })).tradeoff.flatMap((s) => s.points.map((p) => p.fid));
    const [own, another] = [await fids(null), await fids(other)];
    expect(own).toEqual(await fids(before[0].evaluatorHash));
    expect(another).toHaveLength(own.length);
    expect(another).not.toEqual(own); // a 40-step evaluator sees the samples differently
    // Each evaluator keeps its own verdict and real-data floor beside the run's own.
    const VERDICT = `query($id: ID!, $hash: String) { sweep(id: $id) { runs { evaluatorAccuracy(evaluatorHash: $hash) floor(evaluatorHash: $hash) { fid } } } }`;
    type Verdict = { evaluatorAccuracy: number | null; floor: { fid: number } | null };
    const verdicts = async (hash: string | null) => (await stack.gql<{ sweep: { runs: Verdict[] } }>(VERDICT, { id: sweepA, hash })).sweep.runs;
    const [ownVerdicts, otherVerdicts] = [await verdicts(null), await verdicts(other)];
    expect(otherVerdicts.every((r) => r.evaluatorAccuracy !== null && r.floor !== null)).toBe(true);
    expect(otherVerdicts.map((r) => r.floor!.fid)).not.toEqual(ownVerdicts.map((r) => r.floor!.fid));
  });
});
