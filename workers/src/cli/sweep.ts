/**
 * `npm run sweep -- <spec.json> [--quick] [--out runs/x] [--backend wasm]`: runs a whole sweep on this
 * machine without a database. Trained models are kept in <out>/models by content hash, so a rerun
 * (or another sweep with the same out folder) reuses them and an interrupted training resumes.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { expandSweep, loadSpecFile, parseSpec, SpecError, type ModelJob, type ResultRun, type ResultsFile } from '@guidance-lab/experiments';
import { BACKEND_PREFERENCES, initBackend, type BackendPreference } from '../engine/backend/index';
import { ENGINE_VERSION, sampleAndScore, trainModel } from '../engine/pipeline';
import { createBars } from './progress';
import { formatResultsTable } from './table';

const USAGE = 'usage: npm run sweep -- <spec.json> [--quick] [--out <folder>] [--backend auto|tensorflow|wasm|cpu]';

function writeAtomic(path: string, bytes: Uint8Array | string): void {
  writeFileSync(`${path}.tmp`, bytes);
  renameSync(`${path}.tmp`, path);
}

async function trainOnce(job: ModelJob, modelsDir: string, bars: ReturnType<typeof createBars>): Promise<Uint8Array> {
  const done = join(modelsDir, `${job.key}.ckpt`);
  if (existsSync(done)) return new Uint8Array(readFileSync(done));
  const partial = join(modelsDir, `${job.key}.partial.ckpt`);
  const bar = bars.start(`train ${job.config.kind}${job.config.pUncond === undefined ? '' : ` p_uncond=${job.config.pUncond}`} seed=${job.config.seed}`);
  const result = await trainModel(job.config, {
    resume: existsSync(partial) ? new Uint8Array(readFileSync(partial)) : null,
    onProgress: (p) => bar.update(p),
    onCheckpoint: async (bytes) => writeAtomic(partial, bytes),
  });
  bar.stop();
  writeAtomic(done, result.checkpoint);
  rmSync(partial, { force: true });
  return result.checkpoint;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { out: { type: 'string' }, quick: { type: 'boolean', default: false }, backend: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help || positionals.length !== 1) {
    console.error(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const preference = (values.backend ?? process.env.GUIDANCE_BACKEND ?? 'auto') as BackendPreference;
  if (!BACKEND_PREFERENCES.includes(preference)) throw new SpecError([{ field: '--backend', message: `must be one of: ${BACKEND_PREFERENCES.join(', ')}` }]);

  const spec = parseSpec(loadSpecFile(positionals[0], { quick: values.quick }));
  const out = values.out ?? join('runs', spec.name);
  const modelsDir = join(out, 'models');
  mkdirSync(join(out, 'grids'), { recursive: true });
  mkdirSync(modelsDir, { recursive: true });

  const backend = await initBackend(preference);
  const plan = expandSweep(spec);
  console.error(`${spec.name}: ${plan.models.length} models to train, ${plan.runs.length} grid points, backend ${backend}`);
  const started = Date.now();
  const bars = createBars();

  const checkpoints = new Map<string, Uint8Array>();
  for (const job of plan.models) checkpoints.set(job.key, await trainOnce(job, modelsDir, bars));

  const runs: ResultRun[] = [];
  let evaluator = { hash: '', referenceN: 0 };
  for (const point of plan.runs) {
    const label = `${point.guidance} p_uncond=${point.pUncond} s=${point.scale} seed=${point.seed}`;
    const bar = bars.start(`sample ${label}`);
    const result = await sampleAndScore(point, spec, {
      eps: checkpoints.get(point.epsModel)!,
      classifier: point.classifierModel ? checkpoints.get(point.classifierModel)! : null,
      evaluator: checkpoints.get(point.evaluatorModel)!,
    }, { onProgress: (p) => bar.update(p) });
    bar.stop();
    const grid = join('grids', `${point.guidance}-p${point.pUncond}-s${point.scale}-seed${point.seed}.png`);
    writeAtomic(join(out, grid), result.grid.png);
    evaluator = { hash: result.evaluatorHash, referenceN: Number(result.referenceSet.split(':').pop()) };
    runs.push({
      guidance: point.guidance, pUncond: point.pUncond, scale: point.scale, seed: point.seed,
      sampler: point.sampler.kind, steps: point.sampler.steps, eta: point.sampler.eta,
      n: result.n, metrics: result.metrics, grid,
    });
  }
  bars.stop();

  const results: ResultsFile = { spec, backend, engineVersion: ENGINE_VERSION, evaluator, runs };
  writeAtomic(join(out, 'results.json'), JSON.stringify(results, null, 2));
  console.log(formatResultsTable(runs));
  console.log(`\n${runs.length} runs in ${((Date.now() - started) / 1000).toFixed(1)} s on ${backend}; results in ${relative(process.cwd(), join(out, 'results.json'))}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof SpecError ? error.message : error);
  process.exit(error instanceof SpecError ? 2 : 1);
});
