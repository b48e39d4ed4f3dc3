/**
 * The .npy / .npz writer against the format's definition byte by byte, and against NumPy itself
 * where python3 with numpy is installed (skipped otherwise).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { decodeNpy, decodeNpz, encodeNpy, encodeNpz } from './npy';

const hasNumpy = spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;

describe('.npy version 1.0', () => {
  it('writes the magic, version, header length, a 64-byte aligned header and the raw little-endian data', () => {
    const bytes = encodeNpy({ data: new Float32Array([1, -2.5, 3, 0.25, 5, 6]), shape: [3, 2] });
    expect([...bytes.subarray(0, 8)]).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]); // \x93NUMPY 1.0
    const headerLength = bytes[8] + 256 * bytes[9];
    expect((10 + headerLength) % 64).toBe(0);
    const header = new TextDecoder().decode(bytes.subarray(10, 10 + headerLength));
    expect(header).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(3, 2\), \} *\n$/);
    expect(bytes.length).toBe(10 + headerLength + 6 * 4);
    const view = new DataView(bytes.buffer, 10 + headerLength);
    expect([0, 1, 2, 3, 4, 5].map((i) => view.getFloat32(4 * i, true))).toEqual([1, -2.5, 3, 0.25, 5, 6]);
  });

  it('writes a 1-d shape as a one-element tuple and names each dtype', () => {
    const header = (data: Parameters<typeof encodeNpy>[0]['data'], shape: number[]) => {
      const bytes = encodeNpy({ data, shape });
      return new TextDecoder().decode(bytes.subarray(10, 10 + bytes[8] + 256 * bytes[9]));
    };
    expect(header(new Int32Array(3), [3])).toContain("'descr': '<i4', 'fortran_order': False, 'shape': (3,)");
    expect(header(new Uint8Array(4), [1, 2, 2])).toContain("'descr': '|u1', 'fortran_order': False, 'shape': (1, 2, 2)");
    expect(header(new BigInt64Array(2), [1, 2])).toContain("'descr': '<i8'");
  });

  it('refuses a shape that does not hold the data', () => {
    expect(() => encodeNpy({ data: new Uint8Array(5), shape: [2, 2] })).toThrow('shape (2, 2) holds 4 values, the array has 5');
  });

  it('reads back what it writes', () => {
    const data = new Int32Array([7, -1, 2 ** 31 - 1]);
    expect(decodeNpy(encodeNpy({ data, shape: [3] }))).toEqual({ data, shape: [3] });
  });
});

describe('.npz', () => {
  it('is a zip of <name>.npy files', () => {
    const npz = encodeNpz({ a: { data: new Uint8Array([1, 2, 3]), shape: [3] }, b: { data: new Float32Array([0.5]), shape: [1, 1] } });
    expect(Object.keys(unzipSync(npz)).sort()).toEqual(['a.npy', 'b.npy']);
    const back = decodeNpz(npz);
    expect(back.a).toEqual({ data: new Uint8Array([1, 2, 3]), shape: [3] });
    expect(back.b).toEqual({ data: new Float32Array([0.5]), shape: [1, 1] });
  });

  it.skipIf(!hasNumpy)('opens with numpy.load(allow_pickle=False) with the same values, dtypes and shapes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'npz-'));
    const file = join(dir, 'a.npz');
    const x = Uint8Array.from({ length: 2 * 3 * 4 }, (_, i) => (i * 37) % 256);
    writeFileSync(file, encodeNpz({ x: { data: x, shape: [2, 3, 4] }, y: { data: new Int32Array([3, -4]), shape: [2] }, p: { data: new Float32Array([0.1, -1e-8]), shape: [2] }, seed: { data: new BigInt64Array([5n, 2n ** 40n]), shape: [1, 2] } }));
    const script = `
import json, sys, numpy as np
f = np.load(sys.argv[1], allow_pickle=False)
print(json.dumps({k: {"dtype": str(f[k].dtype), "shape": list(f[k].shape), "values": f[k].ravel().tolist()} for k in sorted(f.files)}))`;
    const out = JSON.parse(execFileSync('python3', ['-c', script, file], { encoding: 'utf8' }));
    expect(out.x).toEqual({ dtype: 'uint8', shape: [2, 3, 4], values: [...x] });
    expect(out.y).toEqual({ dtype: 'int32', shape: [2], values: [3, -4] });
    expect(out.p).toEqual({ dtype: 'float32', shape: [2], values: [...new Float32Array([0.1, -1e-8])] });
    expect(out.seed).toEqual({ dtype: 'int64', shape: [1, 2], values: [5, 2 ** 40] });
  });
});
