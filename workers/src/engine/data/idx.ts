/**
 * IDX files (the MNIST / Fashion-MNIST format), optionally gzipped: a big-endian header
 * 0x00 0x00 <type> <ndims>, then ndims uint32 sizes, then the values. We read unsigned bytes only:
 * labels are magic 0x00000801 (1 dim), images 0x00000803 (N × rows × cols).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DEFAULT_MAX_DATA_FILE_BYTES, resolveDataPath, type DataRoot } from '@guidance-lab/experiments/dataRoot';
import type { DatasetSplit, LabelledData } from '../types';
import { splitDataset } from './split';

export const IDX_LABELS_MAGIC = 0x00000801;
export const IDX_IMAGES_MAGIC = 0x00000803;

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;

/**
 * Reads one IDX file of unsigned bytes, checking its magic number and that the data is complete.
 * Errors call the file `shownAs` (the path as the spec wrote it) and never quote its bytes.
 */
export function readIdx(path: string, expectedMagic: number, what: string, shownAs = path, maxBytes = DEFAULT_MAX_DATA_FILE_BYTES): IdxArray {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new Error(`idx: cannot read ${what} file ${shownAs} (${(err as NodeJS.ErrnoException).code ?? 'read error'})`);
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: maxBytes }); // a small gzip bomb must not fill the memory
    } catch (err) {
      const tooBig = (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
      throw new Error(`idx: ${what} file ${shownAs} looks gzipped but ${tooBig ? `inflates to more than ${maxBytes} bytes` : 'cannot be decompressed'}`);
    }
  }
  if (bytes.length < 4) throw new Error(`idx: ${what} file ${shownAs} is truncated: ${bytes.length} bytes, shorter than the 4-byte magic number`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  if (magic !== expectedMagic) {
    // The magic number found is left out: those are the file's first bytes, whatever the file is.
    throw new Error(`idx: ${what} file ${shownAs} is not an unsigned-byte IDX ${what} file (magic number ${hex(expectedMagic)})`);
  }
  const ndims = magic & 0xff;
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) throw new Error(`idx: ${what} file ${shownAs} is truncated inside its header (${bytes.length} of ${headerBytes} bytes)`);
  const dims = Array.from({ length: ndims }, (_, i) => view.getUint32(4 + 4 * i));
  const expected = dims.reduce((a, b) => a * b, 1);
  const found = bytes.length - headerBytes;
  if (found !== expected) {
    throw new Error(`idx: ${what} file ${shownAs} ${found < expected ? 'is truncated' : 'has trailing bytes'}: header dims ${dims.join('×')} need ${expected} data bytes, found ${found}`);
  }
  return { dims, data: bytes.subarray(headerBytes) };
}

/** Reads an images file and a labels file into one labelled dataset (pixels 0..255 → [−1, 1]). */
export function readIdxDataset(imagesPath: string, labelsPath: string, shownAs = { images: imagesPath, labels: labelsPath }, maxBytes?: number): LabelledData {
  const images = readIdx(imagesPath, IDX_IMAGES_MAGIC, 'images', shownAs.images, maxBytes);
  const labels = readIdx(labelsPath, IDX_LABELS_MAGIC, 'labels', shownAs.labels, maxBytes);
  const [n, height, width] = images.dims;
  if (n !== labels.dims[0]) {
    throw new Error(`idx: count mismatch: images file ${shownAs.images} has ${n} images but labels file ${shownAs.labels} has ${labels.dims[0]} labels`);
  }
  if (n === 0 || height === 0 || width === 0) throw new Error(`idx: images file ${shownAs.images} is empty (${images.dims.join('×')})`);
  // Classes must be 0..K−1 with every one present: the ε-net's K and its null label K depend on it.
  const classes = labels.data.reduce((a, b) => Math.max(a, b), 0) + 1;
  const counts = new Array<number>(classes).fill(0);
  labels.data.forEach((label) => counts[label]++);
  const missing = counts.findIndex((c) => c === 0);
  if (missing >= 0) {
    throw new Error(`idx: labels file ${shownAs.labels} has labels out of range: values must run from 0 to K−1 with every class present, but class ${missing} has no labels while the largest label is ${classes - 1}`);
  }
  if (classes < 2) throw new Error(`idx: labels file ${shownAs.labels} holds a single class; conditional generation needs at least 2`);
  const x = Float32Array.from(images.data, (v) => v / 127.5 - 1);
  return { shape: [height, width, 1], x, y: Int32Array.from(labels.data), classes, classNames: counts.map((_, c) => String(c)) };
}

/** The spec's paths are relative to the data root and must stay inside it (experiments/src/dataRoot.ts). */
export function loadIdx(spec: { images: string; labels: string; testFraction: number; seed: number }, root: DataRoot): DatasetSplit {
  const images = resolveDataPath(root, spec.images, 'file');
  const labels = resolveDataPath(root, spec.labels, 'file');
  return splitDataset('idx', readIdxDataset(images, labels, spec, root.maxFileBytes), { testFraction: spec.testFraction }, spec.seed);
}
