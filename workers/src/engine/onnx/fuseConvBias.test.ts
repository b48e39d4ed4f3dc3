import * as tf from '@tensorflow/tfjs-core';
import onnxProto from 'onnx-proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/index';
import { maxRelativeError } from '../../testing/relativeError';
import { exportForward } from './export';
import { createSession, loadOrt, nchwcBlockSize } from './session';

const nodes = (model: Uint8Array) => onnxProto.onnx.ModelProto.decode(model).graph?.node ?? [];

/** Nodes none of whose outputs is read (the bias's broadcast, if the fusion left it). */
function unread(model: Uint8Array): string[] {
  const graph = onnxProto.onnx.ModelProto.decode(model).graph;
  const read = new Set([...(graph?.node ?? []).flatMap((n) => n.input ?? []), ...(graph?.output ?? []).map((o) => o.name)]);
  return (graph?.node ?? []).filter((n) => !(n.output ?? []).some((o) => read.has(o))).map((n) => n.opType ?? '');
}

/**
 * A convolution's per-channel bias given to onnxruntime's Conv as its bias input (fuseConvBias.ts),
 * with the filter and bias as graph inputs (as in a training step, where onnxruntime cannot fuse
 * them itself), on the plain and the blocked (NCHWc) convolution; held to tfjs.
 */
describe('a convolution and its bias as one Conv node', () => {
  let ort: Awaited<ReturnType<typeof loadOrt>>;
  let block: number | undefined;
  let [x, w, b]: tf.Tensor[] = [];
  beforeAll(async () => {
    await initBackend('cpu');
    ort = await loadOrt();
    block = await nchwcBlockSize(ort!);
    x = tf.randomNormal([2, 5, 6, 16], 0, 1, 'float32', 1);
    w = tf.randomNormal([3, 3, 16, 16], 0, 0.3, 'float32', 2);
    b = tf.randomNormal([16], 0, 1, 'float32', 3); // far from 0, so a dropped bias shows
  });
  afterAll(() => tf.dispose([x, w, b]));

  /** Exports `outputs` of (x, w, b), checks its nodes, and returns each output's error against tfjs. */
  async function exportAndRun(outputs: () => Record<string, tf.Tensor>, nchwc: boolean, check: (n: ReturnType<typeof nodes>) => void) {
    const inputs = [{ name: 'x', tensor: x }, { name: 'w', tensor: w }, { name: 'b', tensor: b }];
    const model = exportForward('conv-bias', inputs, new Map(), outputs, { nchwcBlock: nchwc ? block : undefined });
    check(nodes(model));
    expect(unread(model)).toEqual([]);
    const session = await createSession(ort!, model, { threads: 1 });
    try {
      const got = await session.run(Object.fromEntries(inputs.map((i) => [i.name, new ort!.Tensor('float32', i.tensor.dataSync() as Float32Array, i.tensor.shape)])));
      const want = tf.tidy(() => Object.entries(outputs()).map(([name, t]) => [name, t.dataSync() as Float32Array] as const));
      return Object.fromEntries(want.map(([name, data]) => [name, maxRelativeError(got[name].data as Float32Array, data)]));
    } finally {
      await session.release();
    }
  }

  const conv = () => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same');

  it.each([false, true])('adds the bias in the Conv, and matches tfjs (NCHWc kernels allowed: %s)', async (nchwc) => {
    const errors = await exportAndRun(() => ({ y: tf.add(conv(), b) }), nchwc, (n) => {
      expect(n.map((node) => node.opType)).not.toContain('Add');
      expect(n.find((node) => node.opType === 'Conv')?.input).toHaveLength(3);
      if (nchwc && block !== undefined) expect(n.find((node) => node.opType === 'Conv')?.domain).toBe('com.microsoft.nchwc');
    });
    expect(errors.y).toBeLessThan(1e-4);
  });

  it('leaves the Add where the convolution before the bias is read too', async () => {
    const errors = await exportAndRun(() => { const y = conv(); return { y: tf.add(y, b), unbiased: y }; }, true, (n) => {
      expect(n.map((node) => node.opType)).toContain('Add');
      expect(n.find((node) => node.opType === 'Conv')?.input).toHaveLength(2);
    });
    expect(errors.y).toBeLessThan(1e-4);
    expect(errors.unbiased).toBeLessThan(1e-4);
  });
});
