/**
 * Where a sweep's out folder keeps its models, and the atomic write every file of it goes through:
 * shared by the coordinating process (sweep.ts) and the engine processes (jobs.ts), apart from the
 * engine so the coordinator loads no tfjs.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const modelFile = (modelsDir: string, key: string) => join(modelsDir, `${key}.ckpt`);
export const modelsDirOf = (out: string) => join(out, 'models');

export function writeAtomic(path: string, bytes: Uint8Array | string): void {
  writeFileSync(`${path}.tmp`, bytes);
  renameSync(`${path}.tmp`, path);
}
