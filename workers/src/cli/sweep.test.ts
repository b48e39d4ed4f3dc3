/**
 * The sweep CLI end to end, as a researcher runs it: a tiny toy2d sweep through the process pool,
 * once with one job at a time and once with two, which must write the same results; then the
 * second scored again from its samples.npz files (--rescore), which must reproduce them exactly.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { samplesFromNpz, type ResultsFile } from '@guidance-lab/experiments';

const run = promisify(execFile);
const root = new URL('../../..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'sweep-cli-'));
const specFile = join(dir, 'tiny.json');
writeFileSync(
  specFile,
  JSON.stringify({
    name: 'tiny',
    dataset: { kind: 'toy2d', trainSize: 2000, testSize: 400 },
    schedule: { kind: 'linear', T: 100 },
    model: { hidden: 32, depth: 1 },
    training: { steps: 150, batchSize: 128, checkpointEvery: 50 },
    classifier: { hidden: 32, depth: 1, steps: 100, batchSize: 128 },
    evaluator: { hidden: 32, depth: 1, steps: 100, batchSize: 128 },
    guidance: ['classifier-free', 'classifier'],
    scales: [0, 2],
    pUncond: [0.2],
    samplesPerClass: 25,
    sampler: { kind: 'ddim', steps: 10, eta: 0 },
  }),
);

async function sweep(jobs: number): Promise<{ results: ResultsFile; out: string; stdout: string }> {
  const out = join(dir, `jobs-${jobs}`);
  const { stdout } = await run('npx', ['tsx', 'workers/src/cli/sweep.ts', specFile, '--out', out, '--jobs', String(jobs)], { cwd: root, env: { ...process.env, GUIDANCE_BACKEND: 'wasm' } });
  return { results: JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')), out, stdout };
}

describe('npm run sweep', () => {
  it('trains, samples and scores a sweep over a pool of engine processes, with results independent of --jobs', async () => {
    const [one, two] = [await sweep(1), await sweep(2)];
    const points = (f: ResultsFile) => f.runs.map((r) => `${r.guidance}/${r.pUncond}/${r.scale}`);
    expect(points(two.results)).toEqual(points(one.results));
    expect([...points(two.results)].sort()).toEqual(['classifier-free/0.2/0', 'classifier-free/0.2/2', 'classifier/1/0', 'classifier/1/2']);
    expect(two.stdout).toMatch(/4 runs in .* 2 jobs at a time/);
    expect(two.results.backend).toMatch(/^wasm/);
    for (const [i, r] of two.results.runs.entries()) {
      expect(r.n).toBe(100);
      expect(existsSync(join(two.out, r.grid))).toBe(true);
      const samples = samplesFromNpz(new Uint8Array(readFileSync(join(two.out, r.samples!))));
      expect([samples.shape, samples.x.length, samples.y.length, samples.seed]).toEqual([[2], 200, 100, r.seed]);
      for (const [name, value] of Object.entries(r.metrics)) expect(value, `${r.guidance} s=${r.scale} ${name}`).toBeCloseTo(one.results.runs[i].metrics[name as keyof typeof r.metrics], 6);
    }
    // The honest-evaluation contract: evaluator accuracy, a floor with the metrics' keys, one aggregate per point.
    const { evaluator, floor, aggregates } = two.results;
    expect(evaluator.accuracy).toBeGreaterThan(0.25);
    expect(evaluator.accuracy).toBeLessThanOrEqual(1);
    expect(evaluator.reliable).toBe(evaluator.accuracy >= 0.98 * evaluator.attainable);
    expect(Object.keys(floor).sort()).toEqual(Object.keys(two.results.runs[0].metrics).sort());
    expect(Object.keys(two.results.runs[0].metrics)).toEqual(expect.arrayContaining(['density', 'coverage']));
    expect(aggregates.map((a) => [a.guidance, a.scale, a.seeds])).toEqual([['classifier', 0, 1], ['classifier', 2, 1], ['classifier-free', 0, 1], ['classifier-free', 2, 1]]);
    // What a published time needs beside it: the command, the machine, wall and CPU time.
    const { execution } = two.results;
    expect(execution?.command).toBe(`${specFile} --out ${two.out} --jobs 2`);
    expect(execution?.machine).toMatchObject({ cores: os.availableParallelism(), node: process.version, cpu: expect.any(String) });
    expect(execution!.jobs).toBe(2);
    expect(execution!.modelsSeconds).toBeGreaterThan(0);
    expect(execution!.modelsSeconds).toBeLessThanOrEqual(execution!.wallSeconds);
    expect(execution!.cpuSeconds).toBeGreaterThan(0);
    expect(Date.parse(execution!.startedAt)).toBeLessThan(Date.now());
    expect(two.stdout).toMatch(/\| real data \(floor\) \|/);
    expect(two.stdout).toMatch(/evaluator accuracy on held-out real data: \d\.\d{3}/);
    // Figures beside results.json, one sample strip per class (toy2d: 4 classes).
    for (const file of ['tradeoff.svg', 'tradeoff.png', 'metrics.svg', ...[0, 1, 2, 3].map((k) => `samples-class-${k}.png`)]) expect(existsSync(join(two.out, file)), file).toBe(true);
    expect(PNG.sync.read(readFileSync(join(two.out, 'tradeoff.png'))).width).toBeGreaterThan(500);
    // Models are kept by content hash (4: ε-nets at 0.2 and 1, classifier, evaluator), partial checkpoints removed.
    expect(readdirSync(join(two.out, 'models')).sort()).toEqual(readdirSync(join(one.out, 'models')).sort());
    expect(readdirSync(join(two.out, 'models')).filter((f) => f.endsWith('.ckpt') && !f.includes('partial'))).toHaveLength(4);
  }, 600_000); // two whole sweeps; on a busy shared machine they take minutes

  it('--rescore scores the samples.npz files again with the same evaluator and reproduces every metric exactly', async () => {
    const out = join(dir, 'jobs-2');
    const before = readFileSync(join(out, 'results.json'), 'utf8');
    const { stdout } = await run('npx', ['tsx', 'workers/src/cli/sweep.ts', '--rescore', out], { cwd: root, env: { ...process.env, GUIDANCE_BACKEND: 'wasm' } });
    expect(stdout).toMatch(/4 runs re-scored in/);
    // …and keeps the record of the run that made the samples.
    expect(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'))).toEqual(JSON.parse(before));
  });

  it('names a bad --jobs with the allowed range', async () => {
    await expect(run('npx', ['tsx', 'workers/src/cli/sweep.ts', specFile, '--jobs', '0'], { cwd: root })).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/--jobs.*must be a whole number from 1 to \d+/) });
  });

  it('takes one preset size: --standard selects the standard block, and a file without one is refused', async () => {
    await expect(run('npx', ['tsx', 'workers/src/cli/sweep.ts', specFile, '--quick', '--standard'], { cwd: root })).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/--standard cannot be combined with --quick/) });
    await expect(run('npx', ['tsx', 'workers/src/cli/sweep.ts', specFile, '--standard'], { cwd: root })).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/standard .*has no standard variant/) });
  });
});
