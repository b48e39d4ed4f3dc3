import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadFolder, readImageFolder } from './folder';

const root = mkdtempSync(join(tmpdir(), 'folder-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Writes a PNG whose pixel (x, y) has the RGBA `pixel(x, y)`; colorType 0 = grey, 2 = RGB, 6 = RGBA. */
function writePng(path: string, width: number, height: number, pixel: (x: number, y: number) => number[], colorType: 0 | 2 | 6): void {
  const png = new PNG({ width, height, colorType, inputColorType: 6 });
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) png.data.set(pixel(x, y), 4 * (y * width + x));
  writeFileSync(path, PNG.sync.write(png, { colorType, inputColorType: 6 }));
}

function makeDataset(name: string, classes: Record<string, number>): string {
  const dir = join(root, name);
  for (const [cls, count] of Object.entries(classes)) {
    mkdirSync(join(dir, cls), { recursive: true });
    for (let i = 0; i < count; i++) {
      // 'bright' class: white greyscale 8×8 with a black left half; 'dark' class: pure red RGB 16×16.
      if (cls === 'bright') writePng(join(dir, cls, `${i}.png`), 8, 8, (x) => (x < 4 ? [0, 0, 0, 255] : [255, 255, 255, 255]), 0);
      else writePng(join(dir, cls, `${i}.png`), 16, 16, () => [255, 0, 0, 255], 2);
    }
  }
  return dir;
}

describe('image folder', () => {
  const good = makeDataset('good', { bright: 5, dark: 5 });

  it('reads one class per sub-folder, converts to grey and area-resizes', () => {
    writeFileSync(join(good, 'bright', '.DS_Store'), 'not an image'); // hidden files are skipped
    const data = readImageFolder(good, 4);
    expect(data.classNames).toEqual(['bright', 'dark']);
    expect(data.classes).toBe(2);
    expect(data.shape).toEqual([4, 4, 1]);
    expect(Array.from(data.y)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    // 8 → 4 halves each side: columns 0–1 black (−1), 2–3 white (+1).
    expect(Array.from(data.x.subarray(0, 4))).toEqual([-1, -1, 1, 1]);
    // Pure red has luma 0.299 → 2·0.299 − 1.
    expect(data.x[5 * 16]).toBeCloseTo(2 * 0.299 - 1, 5);
    // 8 → 3 averages fractional areas: the middle column covers source columns 2.67–5.33, half black.
    expect(readImageFolder(good, 3).x[1]).toBeCloseTo(0, 5);
    const split = loadFolder({ path: 'good', size: 4, testFraction: 0.2, seed: 1 }, { dir: root, maxFileBytes: 1e6 });
    expect([split.train.y.length, split.test.y.length]).toEqual([8, 2]);
  });

  it('composites transparency over black', () => {
    const dir = makeDataset('alpha', { bright: 2, dark: 2 });
    writePng(join(dir, 'bright', '0.png'), 2, 2, () => [255, 255, 255, 51], 6);
    expect(readImageFolder(dir, 2).x[0]).toBeCloseTo(2 * 0.2 - 1, 5);
  });

  it('names the problem in malformed folders', () => {
    expect(() => readImageFolder(join(root, 'nope'), 8)).toThrow(/folder: .*nope is not an existing folder/);
    const one = makeDataset('one', { bright: 3 });
    expect(() => readImageFolder(one, 8)).toThrow(/one has 1 class sub-folder\(s\); it needs at least 2/);
    const empty = makeDataset('empty', { bright: 3 });
    mkdirSync(join(empty, 'void'));
    expect(() => readImageFolder(empty, 8)).toThrow(/class folder .*void is empty/);
    const corrupt = makeDataset('corrupt', { bright: 2, dark: 2 });
    writeFileSync(join(corrupt, 'dark', 'notes.txt'), 'hello');
    expect(() => readImageFolder(corrupt, 8)).toThrow(/folder: .*dark\/notes.txt is not a readable PNG image/);
  });

  it('names files by the spec path, skips symlinks inside and refuses files over the size limit', () => {
    const dir = makeDataset('linked', { bright: 2, dark: 2 });
    symlinkSync('/etc/hostname', join(dir, 'dark', 'zz.png'));
    expect(readImageFolder(dir, 2).y.length).toBe(4); // the link is not read
    writeFileSync(join(dir, 'dark', 'big.png'), Buffer.alloc(2000));
    expect(() => loadFolder({ path: 'linked', size: 2, testFraction: 0.2, seed: 0 }, { dir: root, maxFileBytes: 1000 })).toThrow(
      /^folder: linked\/dark\/big.png is larger than 1000 bytes/,
    );
  });
});
