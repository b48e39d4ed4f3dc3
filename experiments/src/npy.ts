/**
 * NumPy's .npy format, version 1.0 (numpy.org/neps/nep-0001-npy-format), and .npz archives of
 * them: the download format of a run's samples, readable with numpy.load(allow_pickle=False).
 * Only the few plain dtypes the samples use; arrays are little-endian and C-ordered.
 */
import { unzipSync, zipSync } from 'fflate';

export type NpyData = Uint8Array | Int32Array | Float32Array | BigInt64Array;

export interface NpyArray {
  data: NpyData;
  shape: number[];
}

const DESCR: [string, new (buffer: ArrayBuffer) => NpyData][] = [
  ['|u1', Uint8Array],
  ['<i4', Int32Array],
  ['<f4', Float32Array],
  ['<i8', BigInt64Array],
];

const MAGIC = [0x93, ...'NUMPY'].map((c) => (typeof c === 'number' ? c : c.charCodeAt(0)));
/** numpy pads the header so the data starts on a 64-byte boundary. */
const ALIGN = 64;

function descrOf(data: NpyData): string {
  const entry = DESCR.find(([, type]) => data instanceof type);
  if (!entry) throw new Error('npy: unsupported array type');
  return entry[0];
}

/** One array as .npy bytes. The host is assumed little-endian (x86, ARM), as typed arrays use it. */
export function encodeNpy({ data, shape }: NpyArray): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new Error(`npy: shape (${shape.join(', ')}) holds ${count} values, the array has ${data.length}`);
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '${descrOf(data)}', 'fortran_order': False, 'shape': (${dims}), }`;
  header += ' '.repeat(ALIGN - ((MAGIC.length + 4 + header.length + 1) % ALIGN || ALIGN)) + '\n';
  const out = new Uint8Array(MAGIC.length + 4 + header.length + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1; // major version
  out[7] = 0; // minor version
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}

/** Reads .npy bytes in the dtypes encodeNpy writes (version 1.0 or 2.0 headers). */
export function decodeNpy(bytes: Uint8Array): NpyArray {
  if (MAGIC.some((b, i) => bytes[i] !== b)) throw new Error('npy: not a .npy file (bad magic)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder('latin1').decode(bytes.subarray(start, start + headerLength));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (/'fortran_order':\s*True/.test(header)) throw new Error('npy: Fortran-ordered arrays are not supported');
  const type = DESCR.find(([d]) => d === descr)?.[1];
  if (!type || shapeText === undefined) throw new Error(`npy: unsupported header ${header.trim()}`);
  const shape = shapeText.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  // Copy: the data offset need not be aligned for the typed array.
  const body = bytes.slice(start + headerLength);
  return { data: new type(body.buffer), shape };
}

/** Named arrays as an .npz archive (a deflated zip of <name>.npy files, like numpy.savez_compressed). */
export function encodeNpz(arrays: Record<string, NpyArray>): Uint8Array {
  return zipSync(Object.fromEntries(Object.entries(arrays).map(([name, array]) => [`${name}.npy`, encodeNpy(array)])), { level: 6 });
}

export function decodeNpz(bytes: Uint8Array): Record<string, NpyArray> {
  const files = unzipSync(bytes);
  return Object.fromEntries(Object.entries(files).map(([name, data]) => [name.replace(/\.npy$/, ''), decodeNpy(data)]));
}
