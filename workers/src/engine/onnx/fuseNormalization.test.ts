import * as tf from '@tensorflow/tfjs-core';
import onnxProto from 'onnx-proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/index';
import { groupNorm } from '../networks/layers';
import { fromParams, type Params } from '../networks/params';
import { maxRelativeError } from '../../testing/relativeError';
import { exportForward } from './export';
import { createSession, loadOrt } from './session';

const opTypes = (model: Uint8Array) => onnxProto.onnx.ModelProto.decode(model).graph?.node?.map((n) => n.opType) ?? [];

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

  async function run(model: Uint8Array, input: tf.Tensor) {
    const session = await createSession(ort!, model, { threads: 1 });
    try {
      return await session.run({ x: new ort!.Tensor('float32', input.dataSync() as Float32Array, input.shape) });
    } finally {
      await session.release();
    }
  }

  // After a convolution the exporter keeps activations channels-first, where a group is the trailing axes.
  const mixed = (p: Params, input: tf.Tensor4D) => tf.conv2d(input, p.get('mix.w') as tf.Tensor4D, 1, 'same');

  it('fuses the forward pass after a convolution, and matches tfjs', async () => {
    const [input, p] = [x(), params()];
    const forward = () => ({ y: groupNorm(fromParams(p), 'gn', mixed(p, input), 4) });
    const model = exportForward('gn', [{ name: 'x', tensor: input }], p, forward);
    expect(opTypes(model)).toContain('LayerNormalization');
    expect(opTypes(model)).not.toContain('ReduceMean');
    const out = await run(model, input);
    expect(maxRelativeError(out.y.data as Float32Array, forward().y.dataSync())).toBeLessThan(1e-4);
  });

  it('fuses the forward pass of a gradient, whose backward reuses its inverse deviation, and matches tfjs', async () => {
    const [input, p] = [x(), params()];
    const dy = tf.randomNormal([2, 5, 6, 16], 0, 1, 'float32', 5);
    const forward = () => ({ dx: tf.grad((a: tf.Tensor) => tf.sum(tf.mul(groupNorm(fromParams(p), 'gn', mixed(p, a as tf.Tensor4D), 4), dy)))(input) });
    const model = exportForward('gn-grad', [{ name: 'x', tensor: input }], p, forward);
    const ops = opTypes(model);
    expect(ops.filter((o) => o === 'LayerNormalization')).toHaveLength(1);
    expect(ops.filter((o) => o === 'ReduceMean')).toHaveLength(2); // the backward's two means only
    const out = await run(model, input);
    expect(maxRelativeError(out.dx.data as Float32Array, forward().dx.dataSync())).toBeLessThan(1e-4);
  });

  it('leaves a normalisation over non-trailing axes (a graph input, in tfjs layout) as it is, and still matches', async () => {
    const [input, p] = [x(), params()];
    const forward = () => ({ y: groupNorm(fromParams(p), 'gn', input, 4) });
    const model = exportForward('gn-nhwc', [{ name: 'x', tensor: input }], p, forward);
    expect(opTypes(model)).not.toContain('LayerNormalization');
    const out = await run(model, input);
    expect(maxRelativeError(out.y.data as Float32Array, forward().y.dataSync())).toBeLessThan(1e-4);
  });
});
