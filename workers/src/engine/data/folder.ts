/**
 * A folder of PNG images, one sub-folder per class (the class name is the sub-folder's name, classes
 * in sorted order). Every image becomes greyscale (ITU-R BT.601 luma, composited over black) and is
 * area-resampled to size × size, then mapped to [−1, 1].
 */
import { type Dirent, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_MAX_DATA_FILE_BYTES, resolveDataPath, type DataRoot } from '@guidance-lab/experiments/dataRoot';
import { PNG } from 'pngjs';
import type { DatasetSplit, LabelledData } from '../types';
import { splitDataset } from './split';

/**
 * Errors call the folder `shownAs` (the path as the spec wrote it). Only regular files are read
 * (symlinks and devices inside are skipped), each at most maxFileBytes.
 */
export function readImageFolder(path: string, size: number, shownAs = path, maxFileBytes = DEFAULT_MAX_DATA_FILE_BYTES): LabelledData {
  if (!statSync(path, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`folder: ${shownAs} is not an existing folder`);
  const visible = (e: Dirent) => !e.name.startsWith('.');
  const classNames = readdirSync(path, { withFileTypes: true }).filter((e) => e.isDirectory() && visible(e)).map((e) => e.name).sort();
  if (classNames.length < 2) {
    throw new Error(`folder: ${shownAs} has ${classNames.length} class sub-folder(s); it needs at least 2 (one sub-folder of PNG images per class)`);
  }
  const images: Float32Array[] = [];
  const labels: number[] = [];
  classNames.forEach((name, c) => {
    const dir = join(path, name);
    const files = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile() && visible(e)).map((e) => e.name).sort();
    if (files.length === 0) throw new Error(`folder: class folder ${join(shownAs, name)} is empty; every class needs at least 2 PNG images`);
    for (const file of files) {
      images.push(resizeArea(decodeGrey(join(dir, file), join(shownAs, name, file), maxFileBytes), size));
      labels.push(c);
    }
  });
  const x = new Float32Array(images.length * size * size);
  images.forEach((img, i) => x.set(img, i * size * size));
  return { shape: [size, size, 1], x, y: Int32Array.from(labels), classes: classNames.length, classNames };
}

/** The spec's path is relative to the data root and must stay inside it (experiments/src/dataRoot.ts). */
export function loadFolder(spec: { path: string; size: number; testFraction: number; seed: number }, root: DataRoot): DatasetSplit {
  const path = resolveDataPath(root, spec.path, 'folder');
  return splitDataset(`folder:${spec.path}`, readImageFolder(path, spec.size, spec.path, root.maxFileBytes), { testFraction: spec.testFraction }, spec.seed);
}

interface GreyImage {
  width: number;
  height: number;
  /** Luma in [0, 1], row-major. */
  values: Float64Array;
}

function decodeGrey(file: string, shownAs: string, maxBytes: number): GreyImage {
  if (statSync(file).size > maxBytes) throw new Error(`folder: ${shownAs} is larger than ${maxBytes} bytes (GUIDANCE_MAX_DATA_FILE_BYTES)`);
  let png: PNG;
  try {
    png = PNG.sync.read(readFileSync(file));
  } catch {
    // pngjs's message may quote what it found in the file; say only that it is not a PNG.
    throw new Error(`folder: ${shownAs} is not a readable PNG image`);
  }
  const { width, height, data } = png; // pngjs always yields 8-bit RGBA
  const values = new Float64Array(width * height);
  for (let i = 0; i < values.length; i++) {
    const luma = 0.299 * data[4 * i] + 0.587 * data[4 * i + 1] + 0.114 * data[4 * i + 2];
    values[i] = (luma * data[4 * i + 3]) / (255 * 255);
  }
  return { width, height, values };
}

/**
 * Area (box-filter) resampling to size × size: each output pixel averages the source area it
 * covers, with fractional edge weights; upscaling degenerates to nearest-neighbour blocks.
 * Returns values in [−1, 1].
 */
function resizeArea(img: GreyImage, size: number): Float32Array {
  const rowWeights = coverWeights(img.height, size);
  const colWeights = coverWeights(img.width, size);
  const out = new Float32Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      let sum = 0;
      let total = 0;
      for (const [r, wr] of rowWeights[i]) {
        for (const [c, wc] of colWeights[j]) {
          sum += wr * wc * img.values[r * img.width + c];
          total += wr * wc;
        }
      }
      out[i * size + j] = (2 * sum) / total - 1;
    }
  }
  return out;
}

/** For each output index, the source indices it covers and by how much (1-D box filter). */
function coverWeights(source: number, size: number): Array<Array<[number, number]>> {
  const scale = source / size;
  return Array.from({ length: size }, (_, o) => {
    const start = o * scale;
    const end = (o + 1) * scale;
    const cover: Array<[number, number]> = [];
    for (let s = Math.floor(start); s < Math.min(source, Math.ceil(end)); s++) {
      const w = Math.min(end, s + 1) - Math.max(start, s);
      if (w > 1e-12) cover.push([s, w]);
    }
    return cover;
  });
}
