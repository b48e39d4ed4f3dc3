/**
 * `npx tsx workers/src/bench/profileStep.ts [--only <text>] [--steps N] [--top N] [--full]`: where an
 * onnxruntime training step spends its time. Exports the training step of every train case of
 * `npm run bench --quick` (`--full`: of `npm run bench`; or those whose id contains `--only`), runs it with onnxruntime's
 * profiler on, and prints the step's wall time, its node count, and per-op-type totals (summed
 * kernel time, share, node count) — the numbers the training-speed levers are judged on.
 * `--plain` times without the profiler (wall and process CPU ms per step, one line per case), for
 * interleaved before/after runs. `--intra N` and `--inter-op N` set onnxruntime's thread pools (inter-op
 * above 1 runs independent branches of the step at once); `--plain-conv` exports the convolutions
 * without onnxruntime's NCHWc kernels, as before they were used. `--batch N` takes another batch than
 * the preset's (16 for the quick U-Net's share of a two-way split). `--shards N` times (plain) the
 * engine a run uses, its batch split between N threads (1: the whole step as one call). `--keep-profile`
 * leaves onnxruntime's profile (per-node JSON) in the temporary folder it prints.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend } from '../engine/backend/index';
import { createSession, loadOrt, nchwcBlockSize } from '../engine/onnx/session';
import { onnxStepEngine, stepFeeds } from '../engine/training/onnxStepEngine';
import { benchCases } from './cases';
import { exportedStep, initialStep, STEP_SCALARS } from './stepCase';

interface ProfileEvent {
  cat: string;
  name: string;
  dur: number;
  args?: { op_name?: string };
}

/** Per-op-type totals (µs, nodes) of the kernel events of an onnxruntime profile, largest first. */
export function opTotals(events: ProfileEvent[], runs: number): { op: string; us: number; nodes: number }[] {
  const totals = new Map<string, { us: number; names: Set<string> }>();
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time') || !e.args?.op_name) continue;
    const t = totals.get(e.args.op_name) ?? { us: 0, names: new Set<string>() };
    t.us += e.dur / runs;
    t.names.add(e.name);
    totals.set(e.args.op_name, t);
  }
  return [...totals].map(([op, t]) => ({ op, us: t.us, nodes: t.names.size })).sort((a, b) => b.us - a.us);
}

/** Wall ms per call of `step` over `steps` calls after one warm-up, and a line with wall and process-CPU ms per step. */
async function timeSteps(step: () => Promise<unknown>, steps: number) {
  await step();
  const [start, cpu] = [performance.now(), process.cpuUsage()];
  for (let i = 0; i < steps; i++) await step();
  const ms = (performance.now() - start) / steps;
  const used = process.cpuUsage(cpu);
  const line = (batch: number) => `wall ${ms.toFixed(1)} ms/step, cpu ${((used.user + used.system) / 1000 / steps).toFixed(1)} ms/step, ${(batch / (ms / 1000)).toFixed(0)} img/s`;
  return { ms, line };
}

async function main() {
  const { values } = parseArgs({ options: { only: { type: 'string' }, steps: { type: 'string', default: '10' }, top: { type: 'string', default: '12' }, plain: { type: 'boolean', default: false }, full: { type: 'boolean', default: false }, 'plain-conv': { type: 'boolean', default: false }, intra: { type: 'string' }, 'inter-op': { type: 'string', default: '1' }, shards: { type: 'string' }, batch: { type: 'string' }, 'keep-profile': { type: 'boolean', default: false } } });
  const { only, plain } = values;
  const [steps, top, interOp] = [Number(values.steps), Number(values.top), Number(values['inter-op'])];
  const intra = values.intra === undefined ? undefined : Number(values.intra);
  await initBackend('wasm');
  const ort = await loadOrt();
  if (!ort) throw new Error('onnxruntime-node cannot load here');
  // --batch: another batch size than the preset's, e.g. the share one gradient thread of a split step runs.
  const batch = values.batch === undefined ? undefined : Number(values.batch);
  if (batch !== undefined && !(Number.isInteger(batch) && batch >= 1)) throw new Error(`--batch must be a whole number ≥ 1, got '${values.batch}'`);
  const cases = benchCases(!values.full)
    .filter((c) => c.task === 'train' && (!only || c.id.includes(only)))
    .map((c) => ({ ...c, batch: batch ?? c.batch }));
  for (const c of cases) {
    if (values.shards !== undefined) {
      const { def, w, batch } = initialStep(c);
      const engine = await onnxStepEngine(ort, def, w, batch, Number(values.shards));
      const t = await timeSteps(() => engine.step(batch, STEP_SCALARS), steps);
      console.log(`${c.id} batch ${c.batch}, ${engine.shards} share(s): ${t.line(c.batch)}`);
      await engine.dispose();
      continue;
    }
    const { model, host, batch } = exportedStep(c, { nchwcBlock: values['plain-conv'] ? undefined : await nchwcBlockSize(ort) });
    // A folder for onnxruntime's profile, only when profiling.
    const dir = plain ? null : mkdtempSync(join(tmpdir(), 'ort-profile-'));
    const session = await createSession(ort, model, { threads: intra, interOp, profilePrefix: dir === null ? undefined : join(dir, 'profile') });
    try {
      const feeds = stepFeeds(ort, host, batch, STEP_SCALARS);
      const { ms, line } = await timeSteps(() => session.run(feeds), steps);
      if (dir === null) {
        console.log(`${c.id} batch ${c.batch}: ${line(c.batch)}`);
        continue;
      }
      session.endProfiling();
      const events = JSON.parse(readFileSync(join(dir, readdirSync(dir)[0]), 'utf8')) as ProfileEvent[];
      const totals = opTotals(events, steps + 1);
      const sum = totals.reduce((a, t) => a + t.us, 0);
      console.log(`\n${c.id} (batch ${c.batch}): ${ms.toFixed(1)} ms/step with profiling, ${(c.batch / (ms / 1000)).toFixed(0)} img/s; ${totals.reduce((a, t) => a + t.nodes, 0)} nodes; kernel time ${(sum / 1000).toFixed(1)} ms`);
      for (const t of totals.slice(0, top)) console.log(`  ${t.op.padEnd(24)} ${(t.us / 1000).toFixed(2).padStart(8)} ms  ${((100 * t.us) / sum).toFixed(1).padStart(5)}%  ${String(t.nodes).padStart(4)} nodes`);
    } finally {
      await session.release();
      if (dir !== null) {
        if (values['keep-profile']) console.log(`  profile kept in ${dir}`);
        else rmSync(dir, { recursive: true });
      }
    }
  }
}

main().catch((error) => {
  console.error(`profile failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
