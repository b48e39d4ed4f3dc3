/**
 * `npx tsx workers/src/bench/abStep.ts --a <tree> --b <tree> --only <case> [--full] [--batch N]
 * [--rounds R] [--steps S]`: two versions of the engine's training step timed in one process,
 * alternating, so that the VM's drift (±15–25 % within the hour here) hits both alike. Each tree is a
 * checkout of this repository (a `git archive` of a commit, its node_modules linked to this one's);
 * both export the case's whole step with their own code, both run on one onnxruntime thread, and each
 * round times S steps of each, in the order A B, then B A, and so on. Prints per-round medians and
 * the median (min–max) of B's time over A's, round by round: a lever of a few per cent shows here
 * where separate runs minutes apart cannot tell it from the drift.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { initBackend } from '../engine/backend/index';
import { createSession, loadOrt, nchwcBlockSize, type Session } from '../engine/onnx/session';
import { stepFeeds } from '../engine/training/onnxStepEngine';
import type { BenchCase } from './cases';
import { STEP_SCALARS, type exportedStep } from './stepCase';
import { median, ratioSpread } from './timing';

interface Tree {
  benchCases(quick: boolean): BenchCase[];
  exportedStep: typeof exportedStep;
}

async function loadTree(root: string): Promise<Tree> {
  const at = (file: string) => pathToFileURL(resolve(root, 'workers/src/bench', file)).href;
  const [cases, step] = await Promise.all([import(at('cases.ts')), import(at('stepCase.ts'))]);
  return { benchCases: cases.benchCases, exportedStep: step.exportedStep };
}

async function main() {
  const { values } = parseArgs({ options: { a: { type: 'string' }, b: { type: 'string' }, only: { type: 'string' }, full: { type: 'boolean', default: false }, batch: { type: 'string' }, rounds: { type: 'string', default: '6' }, steps: { type: 'string', default: '8' } } });
  if (!values.a || !values.b || !values.only) throw new Error('--a <tree>, --b <tree> and --only <case> are required');
  const [rounds, steps] = [Number(values.rounds), Number(values.steps)];
  const batch = values.batch === undefined ? undefined : Number(values.batch);
  for (const [name, v] of [['--rounds', rounds], ['--steps', steps], ['--batch', batch ?? 1]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a whole number ≥ 1`);
  }
  await initBackend('wasm');
  const ort = await loadOrt();
  if (!ort) throw new Error('onnxruntime-node cannot load here');
  const nchwcBlock = await nchwcBlockSize(ort);
  const sides: { label: string; session: Session; feeds: ReturnType<typeof stepFeeds>; ms: number[] }[] = [];
  for (const [label, root] of [['A', values.a], ['B', values.b]] as const) {
    const tree = await loadTree(root);
    const found = tree.benchCases(!values.full).filter((c) => c.task === 'train' && c.id.includes(values.only!));
    if (found.length !== 1) throw new Error(`--only '${values.only}' must match one training case in ${root}, matched ${found.length}`);
    const c = { ...found[0], batch: batch ?? found[0].batch };
    const { model, host, batch: b } = tree.exportedStep(c, { nchwcBlock });
    const session = await createSession(ort, model, { threads: 1 });
    sides.push({ label, session, feeds: stepFeeds(ort, host, b, STEP_SCALARS), ms: [] });
    console.log(`${label}: ${root} — ${c.id}, batch ${c.batch}`);
  }
  for (const s of sides) await s.session.run(s.feeds); // warm-up
  for (let r = 0; r < rounds; r++) {
    for (const s of r % 2 === 0 ? sides : [...sides].reverse()) {
      const times: number[] = [];
      for (let i = 0; i < steps; i++) {
        const start = performance.now();
        await s.session.run(s.feeds);
        times.push(performance.now() - start);
      }
      s.ms.push(median(times));
    }
    console.log(`round ${r + 1}: A ${sides[0].ms[r].toFixed(1)} ms, B ${sides[1].ms[r].toFixed(1)} ms, B/A ${(sides[1].ms[r] / sides[0].ms[r]).toFixed(3)}`);
  }
  const q = ratioSpread(sides[1].ms, sides[0].ms);
  console.log(`B/A: ${q.median.toFixed(3)} (${q.min.toFixed(3)}–${q.max.toFixed(3)}) over ${rounds} rounds of ${steps} steps; A ${median(sides[0].ms).toFixed(1)} ms, B ${median(sides[1].ms).toFixed(1)} ms (medians)`);
  await Promise.all(sides.map((s) => s.session.release()));
}

main().catch((error) => {
  console.error(`abStep failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
