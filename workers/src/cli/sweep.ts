/**
 * `npm run sweep -- <spec.json> [--quick | --standard] [--out runs/x] [--backend wasm] [--jobs N]`: runs
 * a whole sweep on this machine without a database. `npm run sweep -- --rescore <out>` scores the
 * samples.npz files of a finished sweep in <out> again with its spec's evaluator, without sampling.
 * Jobs run `--jobs` at a time in engine processes (pool.ts; default: one per core, each with its share
 * of the threads), each as soon as what it needs exists: a grid point samples once its ε-net (and
 * classifier or guide) is trained, while the evaluator may still be training, and is scored once the
 * evaluator is.
 * Trained models are kept in <out>/models by content hash, so a rerun (or another sweep with the
 * same out folder) reuses them and an interrupted training resumes.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { admitSpec, aggregateRuns, dataRootFromEnv, expandSweep, loadSpecFile, maxComputeFromEnv, methodLabel, parseSpec, runMethodLabel, SpecError, type ModelJob, type ResultsFile, type SweepExecution, type SweepSpec } from '@guidance-lab/experiments';
import { trainingWork } from '@guidance-lab/experiments/cost';
import { BACKEND_PREFERENCES, type BackendPreference } from '../engine/backend/preferences';
import { ENGINE_VERSION } from '../engine/version';
import { writeFigures } from '../figures/index';
import { modelFile, modelsDirOf, writeAtomic } from './files';
import type { SampledReply, SampleReply } from './jobs';
import { startPool, type Pool } from './pool';
import { createBars } from './progress';
import { formatResultsTable } from './table';

const USAGE = `usage: npm run sweep -- <spec.json> [--quick | --standard] [--out <folder>] [--backend auto|tensorflow|wasm|cpu] [--jobs <1..cores>]
       npm run sweep -- --rescore <out folder> [--backend …] [--jobs …]`;

/** Rough cost of training a model (its examples: steps × batch size), to start the longest first (the pool then finishes evenly). */
const trainingCost = ({ config }: ModelJob) => trainingWork(config).examples;

function parseJobs(raw: string | undefined, cores: number): number {
  if (raw === undefined) return cores;
  const jobs = Number(raw);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > cores) throw new SpecError([{ field: '--jobs', message: `must be a whole number from 1 to ${cores} (the cores here), got '${raw}'` }]);
  return jobs;
}

/**
 * Queues the models whose checkpoints are missing, longest first, with a bar each: a promise per
 * model key, resolving to when it was trained. A failure surfaces where the model is awaited.
 */
function trainMissing(pool: Pool, bars: ReturnType<typeof createBars>, toTrain: ModelJob[], modelsDir: string): Map<string, Promise<number>> {
  return new Map(
    toTrain.map((job) => {
      const bar = bars.start(`train ${job.config.kind}${job.config.pUncond === undefined ? '' : ` p_uncond=${job.config.pUncond}`} seed=${job.config.seed}`);
      const trained = pool.run<null>({ kind: 'train', job, modelsDir }, (p) => bar.update(p)).then(() => {
        bar.stop();
        return Date.now();
      });
      trained.catch(() => {}); // awaited later, maybe after another job's failure ended the sweep
      return [job.key, trained] as const;
    }),
  );
}

/** This run's command, machine and times, for results.json. */
function executionRecord(pool: Pool, jobs: number, started: number, modelsDone: number): SweepExecution {
  const { user, system } = process.cpuUsage();
  return {
    command: process.argv.slice(2).join(' '),
    machine: {
      cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
      cores: os.availableParallelism(),
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      platform: `${os.platform()} ${os.arch()}`,
    },
    startedAt: new Date(started).toISOString(),
    jobs,
    wallSeconds: round1((Date.now() - started) / 1000),
    modelsSeconds: round1((modelsDone - started) / 1000),
    cpuSeconds: round1((user + system) / 1e6 + pool.cpuSeconds()),
  };
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * Writes <out>/results.json and the figures from the scored grid points and prints the table. One
 * evaluator and one N per sweep, so every reply carries the same verdict and floor.
 */
async function writeResults(out: string, spec: SweepSpec, replies: SampleReply[], execution: SweepExecution | undefined, summary: (runs: number, engine: string) => string): Promise<void> {
  const runs = replies.map((r) => r.run);
  const { accuracy, attainable, reliable, floor, floorN } = replies[0].evaluation;
  const evaluator = { hash: replies[0].evaluatorHash, referenceN: replies[0].referenceN, accuracy, attainable, reliable, floorN };
  const engine = replies[0].backend;
  const results: ResultsFile = { spec, backend: engine, engineVersion: ENGINE_VERSION, evaluator, floor, runs, aggregates: aggregateRuns(runs), ...(execution ? { execution } : {}) };
  writeAtomic(join(out, 'results.json'), JSON.stringify(results, null, 2));
  // A re-scoring has the same samples, so its strips stay as they were drawn.
  const strips = replies.flatMap(({ run, shown }) => (shown ? [{ run, ...shown }] : []));
  const figures = await writeFigures(out, results, strips, strips.length ? replies[0].shown!.classNames : [], writeAtomic);
  console.log(formatResultsTable(results));
  console.log(`\n${summary(runs.length, engine)}; results in ${relative(process.cwd(), join(out, 'results.json'))}; figures: ${figures.join(', ')}`);
}

/** --rescore <out>: every grid point's samples.npz scored again with the spec's evaluator (trained first if missing). */
async function rescore(out: string, jobs: number, cores: number, preference: BackendPreference): Promise<void> {
  const file = join(out, 'results.json');
  if (!existsSync(file)) throw new SpecError([{ field: '--rescore', message: `must name the out folder of a finished sweep (no results.json in ${out})` }]);
  const previous = JSON.parse(readFileSync(file, 'utf8')) as ResultsFile;
  const spec = parseSpec(previous.spec);
  const evaluator = expandSweep(spec).models.find((m) => m.config.kind === 'evaluator')!;
  const modelsDir = modelsDirOf(out);
  mkdirSync(modelsDir, { recursive: true });
  const size = Math.max(1, Math.min(jobs, previous.runs.length));
  const pool = startPool(size, Math.max(1, Math.floor(cores / size)), preference);
  try {
    const backend = await pool.backend;
    console.error(`${spec.name}: re-scoring ${previous.runs.length} grid points from their samples, backend ${backend}`);
    const started = Date.now();
    const bars = createBars();
    await Promise.all(trainMissing(pool, bars, existsSync(modelFile(modelsDir, evaluator.key)) ? [] : [evaluator], modelsDir).values());
    const replies = await Promise.all(
      previous.runs.map(async (run) => {
        const bar = bars.start(`score ${runMethodLabel(run)} p_uncond=${run.pUncond} s=${run.scale} seed=${run.seed}`);
        const reply = await pool.run<SampleReply>({ kind: 'rescore', run, spec, out, evaluatorKey: evaluator.key }, (p) => bar.update(p));
        bar.stop();
        return reply;
      }),
    );
    bars.stop();
    // The samples, and so the record of the run that made them, are unchanged.
    await writeResults(out, spec, replies, previous.execution, (n, engine) => `${n} runs re-scored in ${((Date.now() - started) / 1000).toFixed(1)} s on ${engine}`);
  } finally {
    pool.close();
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      quick: { type: 'boolean', default: false },
      standard: { type: 'boolean', default: false },
      backend: { type: 'string' },
      jobs: { type: 'string' },
      rescore: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help || positionals.length !== (values.rescore === undefined ? 1 : 0)) {
    console.error(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const preference = (values.backend ?? process.env.GUIDANCE_BACKEND ?? 'auto') as BackendPreference;
  if (!BACKEND_PREFERENCES.includes(preference)) throw new SpecError([{ field: '--backend', message: `must be one of: ${BACKEND_PREFERENCES.join(', ')}` }]);
  const cores = os.availableParallelism();
  const jobs = parseJobs(values.jobs, cores);
  if (values.rescore !== undefined) return rescore(values.rescore, jobs, cores, preference);

  if (values.quick && values.standard) throw new SpecError([{ field: '--standard', message: 'cannot be combined with --quick (pick one size)' }]);
  const spec = parseSpec(loadSpecFile(positionals[0], { size: values.quick ? 'quick' : values.standard ? 'standard' : 'full' }));
  admitSpec(spec, { dataRoot: dataRootFromEnv(), maxCompute: maxComputeFromEnv() });
  const out = values.out ?? join('runs', spec.name);
  const modelsDir = modelsDirOf(out);
  mkdirSync(join(out, 'grids'), { recursive: true });
  mkdirSync(join(out, 'samples'), { recursive: true });
  mkdirSync(modelsDir, { recursive: true });

  const plan = expandSweep(spec);
  const toTrain = plan.models.filter((job) => !existsSync(modelFile(modelsDir, job.key))).sort((a, b) => trainingCost(b) - trainingCost(a));
  // No more engine processes than there is work for at once: the rest of the cores go to their threads.
  const size = Math.max(1, Math.min(jobs, Math.max(toTrain.length, plan.runs.length)));
  const pool = startPool(size, Math.max(1, Math.floor(cores / size)), preference);
  try {
    const backend = await pool.backend;
    console.error(`${spec.name}: ${plan.models.length} models to train, ${plan.runs.length} grid points, backend ${backend}, ${size} job${size === 1 ? '' : 's'} at a time`);
    const started = Date.now();
    const bars = createBars();

    const training = trainMissing(pool, bars, toTrain, modelsDir);
    const ready = (key: string | null | undefined) => (key ? training.get(key) : undefined);

    const replies = await Promise.all(
      plan.runs.map(async (point) => {
        await Promise.all([point.epsModel, point.classifierModel, point.guideModel].map(ready));
        const bar = bars.start(`sample ${methodLabel(point.method, point.methodParams)} p_uncond=${point.pUncond} s=${point.scale} seed=${point.seed}`);
        const sampled = await pool.run<SampledReply>({ kind: 'sample', point, spec, out }, (p) => bar.update(p));
        await ready(point.evaluatorModel);
        const scored = await pool.run<SampleReply>({ kind: 'rescore', run: sampled.run, spec, out, evaluatorKey: point.evaluatorModel }, (p) => bar.update(p));
        bar.stop();
        return { ...scored, shown: sampled.shown };
      }),
    );
    bars.stop();

    const modelsDone = Math.max(started, ...(await Promise.all(training.values())));
    const execution = executionRecord(pool, size, started, modelsDone);
    await writeResults(
      out,
      spec,
      replies,
      execution,
      (n, engine) =>
        `${n} runs in ${execution.wallSeconds.toFixed(1)} s (the last of ${toTrain.length} models trained at ${execution.modelsSeconds.toFixed(1)} s; grid points sample as their models are ready; ${Math.round(execution.cpuSeconds)} CPU-s) on ${engine}, ${size} job${size === 1 ? '' : 's'} at a time, ${execution.machine.cores} × ${execution.machine.cpu}`,
    );
  } finally {
    pool.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof SpecError ? error.message : error);
  process.exit(error instanceof SpecError ? 2 : 1);
});
