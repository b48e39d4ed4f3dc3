/**
 * tfjs kernel → ONNX node(s), for the kernels the networks' primitive layers run (see trace.ts).
 * tfjs is NHWC; ONNX Conv is NCHW, so each conv is wrapped in transposes (onnxruntime's transpose
 * optimiser cancels the back-to-back pairs). A kernel outside this table is an explicit error.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { GraphBuilder } from './graph';

export interface KernelContext {
  g: GraphBuilder;
  /** ONNX value names of the kernel's inputs, by tfjs input name. */
  in: Record<string, string>;
  /** The traced input tensors (shapes, dtypes). */
  tensors: Record<string, tf.Tensor>;
  attrs: Record<string, unknown>;
  outputs: tf.Tensor[];
}

type Translate = (c: KernelContext) => string[];

const normAxis = (axis: number, rank: number) => (axis < 0 ? axis + rank : axis);
const NHWC_TO_NCHW = [0, 3, 1, 2];
const NCHW_TO_NHWC = [0, 2, 3, 1];

const unary = (opType: string): Translate => (c) => [c.g.op(opType, [c.in.x])];
const binary = (opType: string): Translate => (c) => [c.g.op(opType, [c.in.a, c.in.b])];

/** tfjs 'same' padding (TensorFlow's rule): the odd extra pixel goes at the end. */
function samePads(size: number, k: number, stride: number, dilation: number): [number, number] {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + (k - 1) * dilation + 1 - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

const pair = (v: unknown): [number, number] => (Array.isArray(v) ? [v[0], v[1]] : [v as number, v as number]);

const conv2d: Translate = ({ g, in: inp, tensors, attrs }) => {
  const [, h, w] = tensors.x.shape;
  const [kh, kw] = tensors.filter.shape;
  const [sh, sw] = pair(attrs.strides);
  const [dh, dw] = pair(attrs.dilations ?? 1);
  if (attrs.dataFormat !== undefined && attrs.dataFormat !== 'NHWC') throw new Error(`ONNX export: Conv2D dataFormat ${String(attrs.dataFormat)} is not supported (NHWC only)`);
  let pads: number[];
  if (attrs.pad === 'same') {
    const [t, b] = samePads(h, kh, sh, dh);
    const [l, r] = samePads(w, kw, sw, dw);
    pads = [t, l, b, r];
  } else if (attrs.pad === 'valid') pads = [0, 0, 0, 0];
  else throw new Error(`ONNX export: Conv2D pad '${String(attrs.pad)}' is not supported (same or valid)`);
  const x = g.op('Transpose', [inp.x], { perm: NHWC_TO_NCHW });
  const wOihw = g.op('Transpose', [inp.filter], { perm: [3, 2, 0, 1] }); // HWIO → OIHW
  const y = g.op('Conv', [x, wOihw], { kernel_shape: [kh, kw], strides: [sh, sw], dilations: [dh, dw], pads, group: 1 });
  return [g.op('Transpose', [y], { perm: NCHW_TO_NHWC })];
};

const TABLE: Record<string, Translate> = {
  Add: binary('Add'),
  Sub: binary('Sub'),
  Multiply: binary('Mul'),
  RealDiv: binary('Div'),
  Sigmoid: unary('Sigmoid'),
  Sin: unary('Sin'),
  Cos: unary('Cos'),
  Sqrt: unary('Sqrt'),
  Square: ({ g, in: inp }) => [g.op('Mul', [inp.x, inp.x])],
  Identity: unary('Identity'),
  Cast: ({ g, in: inp, tensors, attrs }) => {
    if (attrs.dtype === tensors.x.dtype) return [g.op('Identity', [inp.x])];
    const to = { float32: 1, int32: 6 }[attrs.dtype as string];
    if (to === undefined) throw new Error(`ONNX export: Cast to ${String(attrs.dtype)} is not supported (float32, int32)`);
    return [g.op('Cast', [inp.x], { to })];
  },
  ExpandDims: ({ g, in: inp, tensors, attrs }) => [g.op('Unsqueeze', [inp.input, g.int64s([normAxis(attrs.dim as number, tensors.input.rank + 1)])])],
  Reshape: ({ g, in: inp, outputs }) => [g.op('Reshape', [inp.x, g.int64s(outputs[0].shape)])],
  Concat: ({ g, in: inp, tensors, attrs }) => {
    const keys = Object.keys(inp).sort((a, b) => Number(a) - Number(b));
    return [g.op('Concat', keys.map((k) => inp[k]), { axis: normAxis(attrs.axis as number, tensors[keys[0]].rank) })];
  },
  BatchMatMul: ({ g, in: inp, tensors, attrs }) => {
    const t = (name: 'a' | 'b', flag: unknown) => {
      if (!flag) return inp[name];
      const r = tensors[name].rank;
      return g.op('Transpose', [inp[name]], { perm: [...Array.from({ length: r - 2 }, (_, i) => i), r - 1, r - 2] });
    };
    return [g.op('MatMul', [t('a', attrs.transposeA), t('b', attrs.transposeB)])];
  },
  Conv2D: conv2d,
  Mean: ({ g, in: inp, tensors, attrs }) => {
    const axes = (Array.isArray(attrs.axis) ? attrs.axis : [attrs.axis]).map((a: number) => normAxis(a, tensors.x.rank));
    return [g.op('ReduceMean', [inp.x], { axes, keepdims: attrs.keepDims ? 1 : 0 })];
  },
  // One-hot as (indices[..., None] == 0..depth−1), cast: onnxruntime's OneHot lacks int32 index kernels.
  OneHot: ({ g, in: inp, attrs }) => {
    const depth = attrs.depth as number;
    if (attrs.onValue !== 1 || attrs.offValue !== 0) throw new Error('ONNX export: OneHot supports on = 1, off = 0 only');
    const range = g.constant('onehot_range', 'int32', [depth], Int32Array.from({ length: depth }, (_, i) => i));
    const eq = g.op('Equal', [g.op('Unsqueeze', [inp.indices, g.int64s([-1])]), range]);
    return [g.op('Cast', [eq], { to: attrs.dtype === 'int32' ? 6 : 1 })];
  },
  // tfjs nearest neighbour (no align-corners, no half-pixel): src = floor(dst · in/out), ONNX 'asymmetric' + 'floor'.
  ResizeNearestNeighbor: ({ g, in: inp, tensors, attrs }) => {
    if (attrs.alignCorners || attrs.halfPixelCenters) throw new Error('ONNX export: ResizeNearestNeighbor with alignCorners/halfPixelCenters is not supported');
    const [n, , , c] = tensors.images.shape;
    const [h, w] = attrs.size as number[];
    const x = g.op('Transpose', [inp.images], { perm: NHWC_TO_NCHW });
    const y = g.op('Resize', [x, '', '', g.int64s([n, c, h, w])], { coordinate_transformation_mode: { text: 'asymmetric' }, mode: { text: 'nearest' }, nearest_mode: { text: 'floor' } });
    return [g.op('Transpose', [y], { perm: NCHW_TO_NHWC })];
  },
  SplitV: ({ g, in: inp, tensors, outputs, attrs }) => {
    const axis = normAxis(attrs.axis as number, tensors.x.rank);
    const sizes = g.int64s(outputs.map((o) => o.shape[axis]));
    return g.node('Split', [inp.x, sizes], { axis }, outputs.map(() => g.fresh('split')));
  },
  AvgPool: ({ g, in: inp, attrs }) => {
    if (attrs.pad !== 'valid') throw new Error(`ONNX export: AvgPool pad '${String(attrs.pad)}' is not supported (valid only)`);
    const x = g.op('Transpose', [inp.x], { perm: NHWC_TO_NCHW });
    const y = g.op('AveragePool', [x], { kernel_shape: pair(attrs.filterSize), strides: pair(attrs.strides) });
    return [g.op('Transpose', [y], { perm: NCHW_TO_NHWC })];
  },
  PadV2: ({ g, in: inp, tensors, attrs }) => {
    const p = attrs.paddings as [number, number][];
    const value = g.constant('pad_value', 'float32', [], Float32Array.of(attrs.constantValue as number));
    if (tensors.x.dtype !== 'float32') throw new Error('ONNX export: PadV2 supports float32 tensors only');
    return [g.op('Pad', [inp.x, g.int64s([...p.map((q) => q[0]), ...p.map((q) => q[1])]), value])];
  },
  Slice: ({ g, in: inp, attrs }) => {
    const begin = attrs.begin as number[];
    const size = attrs.size as number[];
    return [g.op('Slice', [inp.x, g.int64s(begin), g.int64s(begin.map((b, i) => b + size[i]))])];
  },
};

/** The ONNX value names of the kernel's outputs. */
export function translateKernel(kernelName: string, c: KernelContext): string[] {
  const translate = TABLE[kernelName];
  if (!translate) throw new Error(`ONNX export: tfjs kernel '${kernelName}' has no ONNX translation (supported: ${Object.keys(TABLE).join(', ')})`);
  return translate(c);
}
