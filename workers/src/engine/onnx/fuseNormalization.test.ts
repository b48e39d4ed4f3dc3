import * as tf from '@tensorflow/tfjs-core';
import onnxProto from 'onnx-proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/index';
import { groupNorm } from '../networks/layers';
import { fromParams, type Params } from '../networks/params';
import { maxRelativeError } from '../../testing/relativeError';
import { exportForward } from './export';
import { createSession, loadOrt } from './session';

const opTypes = (model: Uint8Array): string[] => onnxProto.onnx.ModelProto.decode(model).graph?.node?.map((n) => n.opType ?? '') ?? [];

/** Constants no node reads (the replaced nodes' ε, exponents and axes, if the fusion left them). */
function unusedConstants(model: Uint8Array): string[] {
  const graph = onnxProto.onnx.ModelProto.decode(model).graph;
  const read = new Set([...(graph?.node ?? []).flatMap((n) => n.input ?? []), ...(graph?.output ?? []).map((o) => o.name)]);
  return (graph?.initializer ?? []).map((i) => i.name ?? '').filter((n) => !read.has(n));
}

/**
 * GroupNorm exported as onnxruntime's LayerNormalization (fuseNormalization.ts), forward and
 * backward, held to tfjs. The input is small (σ ≈ 0.01) so that ε = 1e-5 matters: a fused node
 * with a wrong ε, axis or variance is off by far more than the tolerance.
 */
describe('group normalisation as one LayerNormalization node', () => {
  let ort: Awaited<ReturnType<typeof loadOrt>>;
  beforeAll(async () => {
    await initBackend('cpu');
    ort = await loadOrt();
  });
  afterAll(() => tf.disposeVariables());

  const x = () => tf.randomNormal([2, 5, 6, 16], 0, 0.01, 'float32', 1) as tf.Tensor4D;
  const params = (): Params =>
    new Map([
      ['mix.w', tf.randomNormal([1, 1, 16, 16], 0, 0.5, 'float32', 2)],
      ['mix.b', tf.zeros([16])],
      ['gn.gamma', tf.randomNormal([16], 1, 0.2, 'float32', 3)],
      ['gn.beta', tf.randomNormal([16], 0, 0.2, 'float32', 4)],
    ]);

  /** Exports `forward` (one output), runs it on onnxruntime and returns its output beside tfjs's own; every tensor disposed. */
  async function exportAndRun(name: string, forward: (input: tf.Tensor4D, p: Params) => tf.Tensor, ops: (types: string[]) => void) {
    const [input, p] = [x(), params()];
    try {
      const model = exportForward(name, [{ name: 'x', tensor: input }], p, () => ({ out: forward(input, p) }));
      ops(opTypes(model));
      expect(unusedConstants(model)).toEqual([]);
      const session = await createSession(ort!, model, { threads: 1 });
      try {
        const out = await session.run({ x: new ort!.Tensor('float32', input.dataSync() as Float32Array, input.shape) });
        const want = tf.tidy(() => forward(input, p).dataSync() as Float32Array);
        return maxRelativeError(out.out.data as Float32Array, want);
      } finally {
        await session.release();
      }
    } finally {
      tf.dispose([input, ...p.values()]);
    }
  }

  // After a convolution the exporter keeps activations channels-first, where a group is the trailing axes.
  const mixed = (p: Params, input: tf.Tensor4D) => tf.conv2d(input, p.get('mix.w') as tf.Tensor4D, 1, 'same');

  it('fuses the forward pass after a convolution, and matches tfjs', async () => {
    const error = await exportAndRun('gn', (input, p) => groupNorm(fromParams(p), 'gn', mixed(p, input), 4), (ops) => {
      expect(ops).toContain('LayerNormalization');
      expect(ops).not.toContain('ReduceMean');
    });
    expect(error).toBeLessThan(1e-4);
  });

  it('fuses the forward pass of a gradient, whose backward reuses its inverse deviation, and matches tfjs', async () => {
    const dy = tf.randomNormal([2, 5, 6, 16], 0, 1, 'float32', 5);
    const error = await exportAndRun('gn-grad', (input, p) => tf.grad((a: tf.Tensor) => tf.sum(tf.mul(groupNorm(fromParams(p), 'gn', mixed(p, a as tf.Tensor4D), 4), dy)))(input), (ops) => {
      expect(ops.filter((o) => o === 'LayerNormalization')).toHaveLength(1);
      expect(ops.filter((o) => o === 'ReduceMean')).toHaveLength(2); // the backward's two means only
    });
    dy.dispose();
    expect(error).toBeLessThan(1e-4);
  });

  it('leaves a normalisation over non-trailing axes (a graph input, in tfjs layout) as it is, and still matches', async () => {
    const error = await exportAndRun('gn-nhwc', (input, p) => groupNorm(fromParams(p), 'gn', input, 4), (ops) => expect(ops).not.toContain('LayerNormalization'));
    expect(error).toBeLessThan(1e-4);
  });
});
