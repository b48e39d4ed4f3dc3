/**
 * The PyTorch side-by-side: torch_ref.py (the same architectures in PyTorch) as a long-lived child
 * process on the first Python that can import torch — `python3` on PATH, then Debian's
 * /usr/bin/python3 (python3-torch) — answering one timing request at a time, so the bench can
 * interleave it with its own engines.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import type { Writable } from 'node:stream';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { BenchCase } from './cases';
import type { Timing, TimingOptions } from './timing';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'torch_ref.py');
const PYTHONS = ['python3', '/usr/bin/python3'];

export interface TorchTiming extends Timing {
  flopsPerSample: number;
  /** The configuration PyTorch was found fastest in (memory format, batch split). */
  config: string;
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

/** A running torch_ref.py. */
export class TorchServer {
  readonly version: string;
  readonly threads: number;
  private constructor(
    readonly python: string,
    private readonly child: ChildProcess & { stdin: Writable },
    private readonly lines: AsyncIterator<string>,
    hello: { torch: string; threads: number },
  ) {
    this.version = hello.torch;
    this.threads = hello.threads;
  }

  static async start(python: string, threads: number): Promise<TorchServer> {
    const child = spawn(python, [SCRIPT, '--threads', String(threads)], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    return new TorchServer(python, child, lines, await TorchServer.read(child, lines));
  }

  private static async read<T>(child: ChildProcess & { stdin: Writable }, lines: AsyncIterator<string>): Promise<T> {
    const next = await lines.next();
    if (next.done) throw new Error(`torch_ref.py ended (exit ${child.exitCode ?? 'unknown'})`);
    return JSON.parse(next.value) as T;
  }

  private ask<T>(request: object): Promise<T> {
    this.child.stdin.write(`${JSON.stringify(request)}\n`);
    return TorchServer.read<T>(this.child, this.lines);
  }

  /** numpy's and torch's float32 matmul GFLOP/s (2048², best of 5). */
  async peaks(): Promise<Record<string, number>> {
    return (await this.ask<{ peakGflops: Record<string, number> }>({ op: 'peak' })).peakGflops;
  }

  /** One timing of a case (the first request of a case also picks PyTorch's fastest configuration). */
  time(c: BenchCase, o: TimingOptions): Promise<TorchTiming> {
    return this.ask<TorchTiming>({ op: 'time', id: c.id, task: c.task, batch: c.batch, net: c.net, classifier: c.classifier, ...o });
  }

  stop(): void {
    this.child.stdin.end();
  }
}
