/**
 * A pool of engine processes for the sweep CLI. Independent jobs (the models of a sweep, then its
 * grid points) run side by side, one per process: on a CPU, small networks leave cores idle inside
 * one process (most kernels are single-threaded), so N processes with a share of the threads each
 * finish a sweep sooner than one process with all of them. Results do not depend on the split.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { BackendPreference } from '../engine/backend/preferences';
import type { Progress } from '../engine/types';
import type { JobRequest } from './jobs';

export type ParentMessage = { id: number; request: JobRequest };
export type ChildMessage =
  | { type: 'ready'; backend: string }
  | { type: 'failed'; error: string }
  | { type: 'progress'; id: number; progress: Progress }
  | { type: 'done'; id: number; result: unknown; cpuSeconds: number }
  | { type: 'error'; id: number; error: string; cpuSeconds: number };

interface Pending {
  id: number;
  request: JobRequest;
  onProgress: (p: Progress) => void;
  resolve(result: unknown): void;
  reject(error: Error): void;
}

export interface Pool {
  /** The compute backend the processes run on (from the first to be ready). */
  backend: Promise<string>;
  run<T>(request: JobRequest, onProgress: (p: Progress) => void): Promise<T>;
  /** CPU seconds the engine processes have used, as of their last finished jobs. */
  cpuSeconds(): number;
  close(): void;
}

/** Starts `size` engine processes, each allowed `threads` compute threads, on the backend `preference` names. */
export function startPool(size: number, threads: number, preference: BackendPreference): Pool {
  const queue: Pending[] = [];
  const busy = new Map<ChildProcess, Pending | null>();
  const cpu = new Map<ChildProcess, number>();
  let nextId = 0;
  let closing = false;
  let onReady!: (backend: string) => void;
  let onFailed!: (error: Error) => void;
  const backend = new Promise<string>((resolve, reject) => {
    onReady = resolve;
    onFailed = reject;
  });

  const dispatch = () => {
    for (const [child, job] of busy) {
      if (job || !queue.length) continue;
      const next = queue.shift()!;
      busy.set(child, next);
      child.send({ id: next.id, request: next.request } satisfies ParentMessage);
    }
  };

  const failAll = (error: Error) => {
    onFailed(error);
    for (const job of [...busy.values(), ...queue.splice(0)]) job?.reject(error);
  };

  for (let i = 0; i < size; i++) {
    // The child inherits this process's exec arguments (tsx's loader) and environment.
    const child = fork(new URL('./child.ts', import.meta.url), [], {
      env: { ...process.env, GUIDANCE_THREADS: String(threads), GUIDANCE_BACKEND: preference },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    busy.set(child, null);
    child.on('message', (m: ChildMessage) => {
      if (m.type === 'ready') onReady(m.backend);
      else if (m.type === 'failed') failAll(new Error(m.error));
      else {
        const job = busy.get(child);
        if (!job || job.id !== m.id) return;
        if (m.type === 'progress') return job.onProgress(m.progress);
        busy.set(child, null);
        cpu.set(child, m.cpuSeconds);
        if (m.type === 'done') job.resolve(m.result);
        else job.reject(new Error(m.error));
        dispatch();
      }
    });
    child.on('exit', (code, signal) => {
      const job = busy.get(child);
      busy.delete(child);
      if (!closing) failAll(new Error(`an engine process exited (${signal ?? `code ${code}`})${job ? ` during ${job.request.kind} job` : ''}`));
    });
  }

  return {
    backend,
    run<T>(request: JobRequest, onProgress: (p: Progress) => void) {
      return new Promise<T>((resolve, reject) => {
        queue.push({ id: nextId++, request, onProgress, resolve: resolve as (r: unknown) => void, reject });
        dispatch();
      });
    },
    cpuSeconds: () => [...cpu.values()].reduce((a, b) => a + b, 0),
    close() {
      closing = true;
      for (const child of busy.keys()) if (child.connected) child.disconnect();
    },
  };
}
