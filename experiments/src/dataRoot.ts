/**
 * Where user datasets may live. A spec's `idx` and `folder` paths are relative to one data root
 * (GUIDANCE_DATA_DIR, default data/datasets in the repository); anything that resolves outside it —
 * `..`, an absolute path elsewhere, a symlink out — is refused, and so are device files, pipes and
 * files over a size limit. Errors name the spec field and the path as written, never an absolute
 * path or a byte of the file. The API and the CLI check a spec with checkDatasetPaths before
 * accepting it; the engine's loaders resolve through resolveDataPath again when they read, with the
 * root passed in (the engine reads no environment).
 */
import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SpecError, type DatasetSpec, type SpecIssue } from './spec';

/** Largest dataset file read (an uncompressed IDX file, or a gzipped one once inflated, or one PNG). */
export const DEFAULT_MAX_DATA_FILE_BYTES = 512 * 1024 * 1024;

export interface DataRoot {
  /** Absolute, symlink-free path of the data root. */
  dir: string;
  maxFileBytes: number;
}

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The data root from GUIDANCE_DATA_DIR (relative to the working directory) and GUIDANCE_MAX_DATA_FILE_BYTES. */
export function dataRootFromEnv(env: NodeJS.ProcessEnv = process.env): DataRoot {
  const dir = env.GUIDANCE_DATA_DIR ? resolve(env.GUIDANCE_DATA_DIR) : resolve(REPO_ROOT, 'data/datasets');
  const raw = env.GUIDANCE_MAX_DATA_FILE_BYTES;
  const maxFileBytes = raw ? Number(raw) : DEFAULT_MAX_DATA_FILE_BYTES;
  if (!Number.isInteger(maxFileBytes) || maxFileBytes < 1) throw new Error(`GUIDANCE_MAX_DATA_FILE_BYTES must be a whole number of bytes ≥ 1 (got "${raw}")`);
  return { dir, maxFileBytes };
}

/** A dataset path that cannot be used; `message` is safe to show (no absolute path, no content). */
export class DataPathError extends Error {
  constructor(readonly path: string, readonly reason: string) {
    super(`"${path}" ${reason}`);
    this.name = 'DataPathError';
  }
}

const inside = (root: string, path: string) => {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
};

/**
 * The real path of `path` (relative to the data root, or absolute inside it), checked to be an
 * existing regular file (at most maxFileBytes) or folder inside the root after following symlinks.
 */
export function resolveDataPath(root: DataRoot, path: string, kind: 'file' | 'folder'): string {
  const where = `must be inside the data root (GUIDANCE_DATA_DIR), written relative to it`;
  if (path.includes('\0')) throw new DataPathError(path.replaceAll('\0', '\\0'), 'must not contain NUL bytes');
  let realRoot: string;
  try {
    realRoot = realpathSync(root.dir);
  } catch {
    throw new DataPathError(path, 'cannot be read: the data root (GUIDANCE_DATA_DIR) does not exist on this machine');
  }
  const candidate = resolve(realRoot, path);
  if (!inside(realRoot, candidate)) throw new DataPathError(path, where);
  let real: string;
  try {
    real = realpathSync(candidate);
  } catch {
    throw new DataPathError(path, `does not exist in the data root (GUIDANCE_DATA_DIR)`);
  }
  if (!inside(realRoot, real)) throw new DataPathError(path, `${where}; it is a symlink that leads out of it`);
  const stat = statSync(real);
  if (kind === 'folder') {
    if (!stat.isDirectory()) throw new DataPathError(path, 'must be a folder (one sub-folder of PNG images per class)');
  } else {
    if (!stat.isFile()) throw new DataPathError(path, 'must be a regular file (not a folder, device or pipe)');
    if (stat.size > root.maxFileBytes) throw new DataPathError(path, `is larger than ${root.maxFileBytes} bytes (GUIDANCE_MAX_DATA_FILE_BYTES)`);
  }
  return real;
}

/** Every problem with a dataset's paths, by spec field (dataset.images, dataset.labels, dataset.path). */
export function datasetPathIssues(dataset: DatasetSpec, root: DataRoot): SpecIssue[] {
  const paths: [string, string, 'file' | 'folder'][] =
    dataset.kind === 'idx'
      ? [
          ['dataset.images', dataset.images, 'file'],
          ['dataset.labels', dataset.labels, 'file'],
        ]
      : dataset.kind === 'folder'
        ? [['dataset.path', dataset.path, 'folder']]
        : [];
  const issues: SpecIssue[] = [];
  for (const [field, path, kind] of paths) {
    try {
      resolveDataPath(root, path, kind);
    } catch (error) {
      if (!(error instanceof DataPathError)) throw error;
      issues.push({ field, message: error.message });
    }
  }
  return issues;
}

/** Throws SpecError naming each dataset path that cannot be used. */
export function checkDatasetPaths(dataset: DatasetSpec, root: DataRoot): void {
  const issues = datasetPathIssues(dataset, root);
  if (issues.length) throw new SpecError(issues);
}
