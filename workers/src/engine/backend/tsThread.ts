/**
 * A worker thread running a TypeScript module. A thread does not inherit the process's tsx loader
 * (neither from `tsx` nor `node --import tsx`), so the thread imports tsx's API first and loads the
 * module through it.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

const TSX_API = import.meta.resolve('tsx/esm/api');

export function startTsThread(module: URL, workerData: unknown): Worker {
  const path = JSON.stringify(fileURLToPath(module));
  const source = `import(${JSON.stringify(TSX_API)}).then(({ tsImport }) => tsImport(${path}, ${JSON.stringify(module.href)}))`;
  return new Worker(source, { eval: true, workerData });
}
