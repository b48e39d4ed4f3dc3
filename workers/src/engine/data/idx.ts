/**
 * IDX files (the MNIST / Fashion-MNIST format), optionally gzipped: a big-endian header
 * 0x00 0x00 <type> <ndims>, then ndims uint32 sizes, then the values. We read unsigned bytes only:
 * labels are magic 0x00000801 (1 dim), images 0x00000803 (N × rows × cols).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { DatasetSplit, LabelledData } from '../types';
import { splitDataset } from './split';

export const IDX_LABELS_MAGIC = 0x00000801;
export const IDX_IMAGES_MAGIC = 0x00000803;

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;

/** Reads one IDX file of unsigned bytes, checking its magic number and that the data is complete. */
export function readIdx(path: string, expectedMagic: number, what: string): IdxArray {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new Error(`idx: cannot read ${what} file ${path}: ${(err as Error).message}`);
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (err) {
      throw new Error(`idx: ${what} file ${path} looks gzipped but cannot be decompressed: ${(err as Error).message}`);
    }
  }
  if (bytes.length < 4) throw new Error(`idx: ${what} file ${path} is truncated: ${bytes.length} bytes, shorter than the 4-byte magic number`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  if (magic !== expectedMagic) {
    throw new Error(`idx: ${what} file ${path} has magic number ${hex(magic)}, expected ${hex(expectedMagic)} (unsigned-byte IDX ${what})`);
  }
  const ndims = magic & 0xff;
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) throw new Error(`idx: ${what} file ${path} is truncated inside its header (${bytes.length} of ${headerBytes} bytes)`);
  const dims = Array.from({ length: ndims }, (_, i) => view.getUint32(4 + 4 * i));
  const expected = dims.reduce((a, b) => a * b, 1);
  const found = bytes.length - headerBytes;
  if (found !== expected) {
    throw new Error(`idx: ${what} file ${path} ${found < expected ? 'is truncated' : 'has trailing bytes'}: header dims ${dims.join('×')} need ${expected} data bytes, found ${found}`);
  }
  return { dims, data: bytes.subarray(headerBytes) };
}

/** Reads an images file and a labels file into one labelled dataset (pixels 0..255 → [−1, 1]). */
export function readIdxDataset(imagesPath: string, labelsPath: string): LabelledData {
  const images = readIdx(imagesPath, IDX_IMAGES_MAGIC, 'images');
  const labels = readIdx(labelsPath, IDX_LABELS_MAGIC, 'labels');
  const [n, height, width] = images.dims;
  if (n !== labels.dims[0]) {
    throw new Error(`idx: count mismatch: images file ${imagesPath} has ${n} images but labels file ${labelsPath} has ${labels.dims[0]} labels`);
  }
  if (n === 0 || height === 0 || width === 0) throw new Error(`idx: images file ${imagesPath} is empty (${images.dims.join('×')})`);
  // Classes must be 0..K−1 with every one present: the ε-net's K and its null label K depend on it.
  const classes = labels.data.reduce((a, b) => Math.max(a, b), 0) + 1;
  const counts = new Array<number>(classes).fill(0);
  labels.data.forEach((label) => counts[label]++);
  const missing = counts.findIndex((c) => c === 0);
  if (missing >= 0) {
    throw new Error(`idx: labels file ${labelsPath} has labels out of range: values must run from 0 to K−1 with every class present, but class ${missing} has no labels while the largest label is ${classes - 1}`);
  }
  if (classes < 2) throw new Error(`idx: labels file ${labelsPath} holds a single class; conditional generation needs at least 2`);
  const x = Float32Array.from(images.data, (v) => v / 127.5 - 1);
  return { shape: [height, width, 1], x, y: Int32Array.from(labels.data), classes, classNames: counts.map((_, c) => String(c)) };
}

export function loadIdx(spec: { images: string; labels: string; testFraction: number; seed: number }): DatasetSplit {
  return splitDataset('idx', readIdxDataset(spec.images, spec.labels), { testFraction: spec.testFraction }, spec.seed);
}
