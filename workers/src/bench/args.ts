/** The bench's command line (main.ts). */
import { parseArgs as parseCli } from 'node:util';

export interface BenchArgs {
  quick: boolean;
  e2e: boolean;
  only: string | null;
  /** Where the JSON goes: `--out`, else bench.json for a whole run and bench-partial.json for an `--only` run, so that a run of a few rows keeps the last whole run's file. */
  out: string;
  rounds: number;
}

export function parseBenchArgs(argv: string[]): BenchArgs {
  const { values } = parseCli({
    args: argv,
    options: { quick: { type: 'boolean', default: false }, e2e: { type: 'boolean', default: false }, only: { type: 'string' }, out: { type: 'string' }, rounds: { type: 'string' } },
  });
  const rounds = values.rounds === undefined ? (values.quick ? 2 : 3) : Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 20) throw new Error(`--rounds must be a whole number from 1 to 20, got '${values.rounds}'`);
  const only = values.only ?? null;
  const out = values.out ?? (only === null ? 'bench-results/bench.json' : 'bench-results/bench-partial.json');
  return { quick: values.quick, e2e: values.e2e, only, out, rounds };
}
