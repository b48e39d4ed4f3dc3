import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { realpathSync } from 'node:fs';
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, loadIdx, readIdxDataset } from './idx';

const dir = mkdtempSync(join(tmpdir(), 'idx-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Encodes an unsigned-byte IDX file: magic, big-endian dims, values. */
function idxBytes(magic: number, dims: number[], values: ArrayLike<number>): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(Uint8Array.from(values))]);
}

function write(name: string, bytes: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

// 30 images of 4×5 pixels; image i has every pixel = 8·i (0..232); labels cycle 0, 1, 2.
const N = 30;
const pixels = Array.from({ length: N * 20 }, (_, p) => 8 * Math.floor(p / 20));
const labels = Array.from({ length: N }, (_, i) => i % 3);
const images = write('images-idx3-ubyte', idxBytes(IDX_IMAGES_MAGIC, [N, 4, 5], pixels));
const labelFile = write('labels-idx1-ubyte', idxBytes(IDX_LABELS_MAGIC, [N], labels));

describe('IDX files', () => {
  it('round-trips images and labels, plain and gzipped', () => {
    for (const [img, lab] of [
      [images, labelFile],
      [write('images.gz', gzipSync(idxBytes(IDX_IMAGES_MAGIC, [N, 4, 5], pixels))), write('labels.gz', gzipSync(idxBytes(IDX_LABELS_MAGIC, [N], labels)))],
    ]) {
      const data = readIdxDataset(img, lab);
      expect(data.shape).toEqual([4, 5, 1]);
      expect(data.classes).toBe(3);
      expect(data.classNames).toEqual(['0', '1', '2']);
      expect(Array.from(data.y)).toEqual(labels);
      expect(data.x[0]).toBe(-1);
      expect(data.x[7 * 20 + 3]).toBeCloseTo((8 * 7) / 127.5 - 1, 6);
    }
  });

  it('splits by testFraction per class', () => {
    const split = loadIdx({ images: 'images-idx3-ubyte', labels: 'labels-idx1-ubyte', testFraction: 0.2, seed: 4 }, { dir, maxFileBytes: 1e6 });
    expect(split.test.y.length).toBe(6);
    expect(split.train.y.length).toBe(24);
    // Each image's pixel value identifies it; labels must travel with it.
    split.train.y.forEach((label, i) => expect(label).toBe(Math.round(((split.train.x[i * 20] + 1) * 127.5) / 8) % 3));
  });

  it('rejects malformed files with a message naming the file and the problem', () => {
    const cases: Array<[string, string, RegExp]> = [
      [labelFile, labelFile, /images file .*labels-idx1-ubyte is not an unsigned-byte IDX images file \(magic number 0x00000803\)/],
      [images, images, /labels file .*images-idx3-ubyte is not an unsigned-byte IDX labels file \(magic number 0x00000801\)/],
      [write('short-images', idxBytes(IDX_IMAGES_MAGIC, [N, 4, 5], pixels.slice(0, 100))), labelFile, /images file .*short-images is truncated: header dims 30×4×5 need 600 data bytes, found 100/],
      [write('header-only', Buffer.from([0, 0, 8, 3, 0, 0])), labelFile, /images file .*header-only is truncated inside its header \(6 of 16 bytes\)/],
      [images, write('few-labels', idxBytes(IDX_LABELS_MAGIC, [N - 1], labels.slice(1))), /count mismatch: images file .* has 30 images but labels file .*few-labels has 29 labels/],
      [images, write('gap-labels', idxBytes(IDX_LABELS_MAGIC, [N], labels.map((l) => (l === 1 ? 5 : l)))), /labels file .*gap-labels has labels out of range: .*class 1 has no labels while the largest label is 5/],
      [join(dir, 'missing'), labelFile, /cannot read images file .*missing/],
      [write('bad.gz', Buffer.from([0x1f, 0x8b, 1, 2, 3])), labelFile, /images file .*bad.gz looks gzipped but cannot be decompressed/],
    ];
    for (const [img, lab, message] of cases) expect(() => readIdxDataset(img, lab)).toThrow(message);
  });

  it('never quotes the file it refuses, nor its absolute path', () => {
    const secret = write('secret.txt', Buffer.from('root:x:0:0:TOPSECRET\n'));
    const error = (() => {
      try {
        loadIdx({ images: 'secret.txt', labels: 'labels-idx1-ubyte', testFraction: 0.2, seed: 0 }, { dir, maxFileBytes: 1e6 });
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(error).toMatch(/images file secret.txt is not an unsigned-byte IDX images file/);
    expect(error).not.toMatch(/root|TOPSECRET|0x726f6f74/);
    expect(error).not.toContain(realpathSync(dir));
    expect(secret).toContain(dir);
  });

  it('refuses gzip that inflates past the size limit without inflating it all', () => {
    write('bomb.gz', gzipSync(Buffer.alloc(4_000_000)));
    expect(() => loadIdx({ images: 'bomb.gz', labels: 'labels-idx1-ubyte', testFraction: 0.2, seed: 0 }, { dir, maxFileBytes: 1e6 })).toThrow(
      /images file bomb.gz looks gzipped but inflates to more than 1000000 bytes/,
    );
  });
});
