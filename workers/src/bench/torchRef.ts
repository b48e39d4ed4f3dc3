/**
 * The PyTorch side-by-side: runs torch_ref.py (the same architectures in PyTorch) on the first Python
 * that can import torch — `python3` on PATH, then Debian's /usr/bin/python3 (python3-torch).
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchCase } from './cases';
import type { TimingOptions } from './timing';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'torch_ref.py');
const PYTHONS = ['python3', '/usr/bin/python3'];

export interface TorchResult {
  ms: number;
  runs: number;
  flopsPerSample: number;
}

export interface TorchReport {
  python: string;
  version: string;
  threads: number;
  peakGflops: Record<string, number>;
  results: Map<string, TorchResult>;
}

/** The first Python with torch, or null. */
export function findTorchPython(): string | null {
  for (const python of PYTHONS) {
    const probe = spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore', timeout: 60_000 });
    if (probe.status === 0) return python;
  }
  return null;
}

/** Float32 matmul GFLOP/s of numpy (best of 5, 2048²) on the first Python that has it; null without numpy. */
export function numpyPeak(): number | null {
  const code = 'import numpy as np,time\nn=2048\na=np.random.rand(n,n).astype(np.float32);b=a.copy();a@b\nprint(max(2*n**3/((lambda t:(a@b,time.perf_counter()-t)[1])(time.perf_counter()))/1e9 for _ in range(5)))';
  for (const python of PYTHONS) {
    const r = spawnSync(python, ['-c', code], { encoding: 'utf8', timeout: 120_000 });
    if (r.status === 0) return Number(r.stdout.trim());
  }
  return null;
}

export function runTorchReference(python: string, cases: BenchCase[], threads: number, o: TimingOptions): TorchReport {
  const request = {
    threads,
    ...o,
    cases: cases.map((c) => ({ id: c.id, task: c.task, batch: c.batch, net: c.net, classifier: c.classifier })),
  };
  const r = spawnSync(python, [SCRIPT], { input: JSON.stringify(request), encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['pipe', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`torch_ref.py failed (exit ${r.status}${r.error ? `: ${r.error.message}` : ''})`);
  const answer = JSON.parse(r.stdout) as { torch: string; threads: number; peakGflops: Record<string, number>; results: (TorchResult & { id: string })[] };
  return {
    python,
    version: answer.torch,
    threads: answer.threads,
    peakGflops: answer.peakGflops,
    results: new Map(answer.results.map(({ id, ...rest }) => [id, rest])),
  };
}
