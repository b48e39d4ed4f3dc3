/**
 * `npm run sweep -- <spec.json> [--quick | --standard] [--out runs/x] [--backend wasm] [--jobs N]`: runs a whole
 * sweep on this machine without a database. Models train, then grid points sample, `--jobs` at a
 * time in engine processes (pool.ts; default: one per core, each with its share of the threads).
 * Trained models are kept in <out>/models by content hash, so a rerun (or another sweep with the
 * same out folder) reuses them and an interrupted training resumes.
 */
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { expandSweep, loadSpecFile, parseSpec, SpecError, type ModelJob, type ResultsFile } from '@guidance-lab/experiments';
import { BACKEND_PREFERENCES, type BackendPreference } from '../engine/backend/index';
import { ENGINE_VERSION } from '../engine/pipeline';
import { modelFile, modelsDirOf, writeAtomic, type SampleReply } from './jobs';
import { startPool } from './pool';
import { createBars } from './progress';
import { formatResultsTable } from './table';

const USAGE = 'usage: npm run sweep -- <spec.json> [--quick | --standard] [--out <folder>] [--backend auto|tensorflow|wasm|cpu] [--jobs <1..cores>]';

/** Rough cost of training a model, to start the longest first (the pool then finishes evenly). */
const trainingCost = ({ config }: ModelJob) => {
  const run = config.training ?? config.classifier!;
  return run.steps * run.batchSize;
};

function parseJobs(raw: string | undefined, cores: number): number {
  if (raw === undefined) return cores;
  const jobs = Number(raw);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > cores) throw new SpecError([{ field: '--jobs', message: `must be a whole number from 1 to ${cores} (the cores here), got '${raw}'` }]);
  return jobs;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { out: { type: 'string' }, quick: { type: 'boolean', default: false }, standard: { type: 'boolean', default: false }, backend: { type: 'string' }, jobs: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help || positionals.length !== 1) {
    console.error(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const preference = (values.backend ?? process.env.GUIDANCE_BACKEND ?? 'auto') as BackendPreference;
  if (!BACKEND_PREFERENCES.includes(preference)) throw new SpecError([{ field: '--backend', message: `must be one of: ${BACKEND_PREFERENCES.join(', ')}` }]);
  const cores = os.availableParallelism();
  const jobs = parseJobs(values.jobs, cores);

  if (values.quick && values.standard) throw new SpecError([{ field: '--standard', message: 'cannot be combined with --quick (pick one size)' }]);
  const spec = parseSpec(loadSpecFile(positionals[0], { size: values.quick ? 'quick' : values.standard ? 'standard' : 'full' }));
  const out = values.out ?? join('runs', spec.name);
  const modelsDir = modelsDirOf(out);
  mkdirSync(join(out, 'grids'), { recursive: true });
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

    await Promise.all(
      toTrain.map(async (job) => {
        const bar = bars.start(`train ${job.config.kind}${job.config.pUncond === undefined ? '' : ` p_uncond=${job.config.pUncond}`} seed=${job.config.seed}`);
        await pool.run({ kind: 'train', job, modelsDir }, (p) => bar.update(p));
        bar.stop();
      }),
    );
    const trained = Date.now();

    const replies = await Promise.all(
      plan.runs.map(async (point) => {
        const bar = bars.start(`sample ${point.guidance} p_uncond=${point.pUncond} s=${point.scale} seed=${point.seed}`);
        const reply = await pool.run<SampleReply>({ kind: 'sample', point, spec, out }, (p) => bar.update(p));
        bar.stop();
        return reply;
      }),
    );
    bars.stop();

    const runs = replies.map((r) => r.run);
    const evaluator = { hash: replies[0]?.evaluatorHash ?? '', referenceN: replies[0]?.referenceN ?? 0 };
    const engine = replies[0]?.backend ?? backend;
    const results: ResultsFile = { spec, backend: engine, engineVersion: ENGINE_VERSION, evaluator, runs };
    writeAtomic(join(out, 'results.json'), JSON.stringify(results, null, 2));
    console.log(formatResultsTable(runs));
    const seconds = (from: number, to: number) => ((to - from) / 1000).toFixed(1);
    console.log(`\n${runs.length} runs in ${seconds(started, Date.now())} s (training ${toTrain.length} models ${seconds(started, trained)} s, sampling and scoring ${seconds(trained, Date.now())} s) on ${engine}, ${size} job${size === 1 ? '' : 's'} at a time; results in ${relative(process.cwd(), join(out, 'results.json'))}`);
  } finally {
    pool.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof SpecError ? error.message : error);
  process.exit(error instanceof SpecError ? 2 : 1);
});
