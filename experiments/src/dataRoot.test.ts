import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkDatasetPaths, dataRootFromEnv, datasetPathIssues, resolveDataPath } from './dataRoot';
import { DatasetSpec, SpecError } from './spec';

const base = mkdtempSync(join(tmpdir(), 'data-root-'));
const dir = join(base, 'datasets');
mkdirSync(join(dir, 'digits/a'), { recursive: true });
mkdirSync(join(dir, 'digits/b'), { recursive: true });
writeFileSync(join(dir, 'images.idx'), Buffer.alloc(100));
writeFileSync(join(dir, 'big.idx'), Buffer.alloc(2000));
writeFileSync(join(base, 'outside.idx'), 'PRIVATE KEY');
symlinkSync(join(base, 'outside.idx'), join(dir, 'leak.idx'));
symlinkSync(join(dir, 'images.idx'), join(dir, 'alias.idx'));
symlinkSync('/dev/zero', join(dir, 'zero.idx'));
const root = { dir, maxFileBytes: 1000 };
afterAll(() => rmSync(base, { recursive: true, force: true }));

const idx = (images: string, labels = 'images.idx') => DatasetSpec.parse({ kind: 'idx', images, labels });

describe('data root', () => {
  it('resolves paths inside the root, through symlinks that stay inside', () => {
    expect(resolveDataPath(root, 'images.idx', 'file')).toBe(join(realpathSync(dir), 'images.idx'));
    expect(resolveDataPath(root, 'alias.idx', 'file')).toBe(join(realpathSync(dir), 'images.idx'));
    expect(resolveDataPath(root, './digits/../images.idx', 'file')).toBe(join(realpathSync(dir), 'images.idx'));
    expect(resolveDataPath(root, join(dir, 'digits'), 'folder')).toBe(join(realpathSync(dir), 'digits'));
    expect(datasetPathIssues(DatasetSpec.parse({ kind: 'folder', path: 'digits' }), root)).toEqual([]);
  });

  it('refuses escapes, links out, devices, folders as files, big files and missing paths, by field, without absolute paths', () => {
    const cases: [DatasetSpec, string, RegExp][] = [
      [idx('../outside.idx'), 'dataset.images', /"\.\.\/outside\.idx" must be inside the data root/],
      [idx('/etc/passwd'), 'dataset.images', /"\/etc\/passwd" must be inside the data root/],
      [idx('leak.idx'), 'dataset.images', /"leak\.idx" must be inside the data root .*symlink that leads out/],
      [idx('zero.idx'), 'dataset.images', /symlink that leads out/],
      [idx('digits'), 'dataset.images', /"digits" must be a regular file/],
      [idx('big.idx'), 'dataset.images', /"big\.idx" is larger than 1000 bytes/],
      [idx('images.idx', 'nope.idx'), 'dataset.labels', /"nope\.idx" does not exist in the data root/],
      [DatasetSpec.parse({ kind: 'folder', path: 'images.idx' }), 'dataset.path', /must be a folder/],
      [DatasetSpec.parse({ kind: 'folder', path: '..' }), 'dataset.path', /must be inside the data root/],
    ];
    for (const [spec, field, message] of cases) {
      const issues = datasetPathIssues(spec, root);
      expect(issues).toHaveLength(1);
      expect(issues[0].field).toBe(field);
      expect(issues[0].message).toMatch(message);
      expect(issues[0].message).not.toContain(base);
      expect(issues[0].message).not.toContain('PRIVATE');
    }
    expect(() => checkDatasetPaths(idx('../outside.idx', '/etc/shadow'), root)).toThrow(SpecError);
  });

  it('a device inside the root is not a regular file', () => {
    const devRoot = { dir: '/dev', maxFileBytes: 1000 };
    expect(() => resolveDataPath(devRoot, 'null', 'file')).toThrow(/"null" must be a regular file/);
  });

  it('defaults to data/datasets in the repository; GUIDANCE_DATA_DIR moves it', () => {
    expect(dataRootFromEnv({}).dir).toMatch(/\/data\/datasets$/);
    expect(dataRootFromEnv({ GUIDANCE_DATA_DIR: dir, GUIDANCE_MAX_DATA_FILE_BYTES: '5' })).toEqual({ dir, maxFileBytes: 5 });
    expect(() => dataRootFromEnv({ GUIDANCE_MAX_DATA_FILE_BYTES: 'lots' })).toThrow(/GUIDANCE_MAX_DATA_FILE_BYTES must be a whole number/);
  });
});
