/**
 * tfjs kernel → ONNX node(s), for the kernels the networks' primitive layers run (see trace.ts).
 *
 * Layout: tfjs is NHWC, ONNX Conv is NCHW. Wrapping every conv in transposes left ~40% of
 * onnxruntime's time in transposes and slow non-trailing broadcasts (GroupNorm's statistics), so
 * each ONNX value carries a permutation `perm` (physical = transpose(logical, perm); null = as in
 * tfjs): conv outputs stay channels-first, and elementwise ops, GroupNorm's channel-splitting
 * reshapes, reductions, concat, split, pad, slice and resize follow that layout. Any other kernel
 * gets its inputs transposed back to the tfjs layout. A kernel outside this table is an explicit error.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { GraphBuilder } from './graph';

/** physical axis i holds logical axis perm[i]; null is the identity (tfjs's own layout). */
export type Perm = number[] | null;

export interface KernelContext {
  g: GraphBuilder;
  /** ONNX value names of the kernel's inputs, by tfjs input name. */
  in: Record<string, string>;
  /** The layout of each input value. */
  perms: Record<string, Perm>;
  /** The traced input tensors (logical shapes, dtypes). */
  tensors: Record<string, tf.Tensor>;
  attrs: Record<string, unknown>;
  outputs: tf.Tensor[];
}

/** Output value names, all in layout `perm`. */
export interface Translated {
  names: string[];
  perm: Perm;
}

type Translate = (c: KernelContext) => Translated;

const isIdentity = (p: Perm) => p === null || p.every((v, i) => v === i);
const norm = (p: Perm): Perm => (isIdentity(p) ? null : p);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
/** NHWC-logical, channels-first-physical layout for rank ≥ 4: [0, 3, …, r−1, 1, 2]. */
const channelsFirst = (rank: number): number[] => [0, ...range(rank - 3).map((i) => i + 3), 1, 2];
const normAxis = (axis: number, rank: number) => (axis < 0 ? axis + rank : axis);
const physicalAxis = (p: Perm, logical: number) => (p === null ? logical : p.indexOf(logical));

/** Moves value `name` of rank `rank` from layout `from` to layout `to` (a Transpose, or nothing). */
export function relayout(g: GraphBuilder, name: string, rank: number, from: Perm, to: Perm): string {
  const a = from ?? range(rank);
  const b = to ?? range(rank);
  const q = b.map((axis) => a.indexOf(axis));
  return isIdentity(q) ? name : g.op('Transpose', [name], { perm: q });
}

/** The input `key` in layout `to`. */
const input = (c: KernelContext, key: string, to: Perm) => relayout(c.g, c.in[key], c.tensors[key].rank, c.perms[key], to);
const logical = (c: KernelContext, key: string) => input(c, key, null);

/** Ops that run in any layout: the output keeps the input's. */
const unary = (opType: string): Translate => (c) => ({ names: [c.g.op(opType, [c.in.x])], perm: c.perms.x });

/**
 * Elementwise with numpy broadcasting: the larger operand's layout wins; the other is first given
 * the full rank (leading 1s, as broadcasting would) and then that layout.
 */
const binary = (opType: string): Translate => (c) => {
  const [a, b] = [c.tensors.a, c.tensors.b];
  const rank = Math.max(a.rank, b.rank);
  const lead = a.size >= b.size ? 'a' : 'b';
  const perm = c.tensors[lead].rank === rank ? norm(c.perms[lead]) : null;
  const operand = (key: 'a' | 'b') => {
    const t = c.tensors[key];
    if (t.rank === rank) return input(c, key, perm);
    if (perm === null) return c.in[key]; // ONNX broadcasts the lower rank itself
    const padded = c.g.op('Reshape', [logical(c, key), c.g.int64s([...Array(rank - t.rank).fill(1), ...t.shape])]);
    return relayout(c.g, padded, rank, null, perm);
  };
  return { names: [c.g.op(opType, [operand('a'), operand('b')])], perm };
};

/** tfjs 'same' padding (TensorFlow's rule): the odd extra pixel goes at the end. */
function samePads(size: number, k: number, stride: number, dilation: number): [number, number] {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + (k - 1) * dilation + 1 - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

const pair = (v: unknown): [number, number] => (Array.isArray(v) ? [v[0], v[1]] : [v as number, v as number]);
const NCHW = channelsFirst(4);

const conv2d: Translate = (c) => {
  const { g, tensors, attrs } = c;
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
  const wOihw = g.op('Transpose', [logical(c, 'filter')], { perm: [3, 2, 0, 1] }); // HWIO → OIHW
  const y = g.op('Conv', [input(c, 'x', NCHW), wOihw], { kernel_shape: [kh, kw], strides: [sh, sw], dilations: [dh, dw], pads, group: 1 });
  return { names: [y], perm: NCHW };
};

/**
 * Reshape. In a channels-first layout, a reshape that keeps N, H, W and only splits or merges the
 * channels (GroupNorm's [N,H,W,C] ↔ [N,H,W,G,C/G]) is a plain reshape of the physical tensor too.
 */
const reshape: Translate = (c) => {
  const { g, tensors, outputs } = c;
  const from = tensors.x.shape;
  const to = outputs[0].shape as number[];
  const p = norm(c.perms.x);
  const keepsNhw = from.length >= 4 && to.length >= 4 && from.slice(0, 3).every((d, i) => d === to[i]);
  if (p !== null && keepsNhw && p.join() === channelsFirst(from.length).join()) {
    const physical = [to[0], ...to.slice(3), to[1], to[2]];
    return { names: [g.op('Reshape', [c.in.x, g.int64s(physical)])], perm: channelsFirst(to.length) };
  }
  return { names: [g.op('Reshape', [logical(c, 'x'), g.int64s(to)])], perm: null };
};

const mean: Translate = (c) => {
  const rank = c.tensors.x.rank;
  const p = c.perms.x ?? range(rank);
  const axes = (Array.isArray(c.attrs.axis) ? c.attrs.axis : [c.attrs.axis]).map((a: number) => normAxis(a, rank));
  const keep = Boolean(c.attrs.keepDims);
  const y = c.g.op('ReduceMean', [c.in.x], { axes: axes.map((a) => p.indexOf(a)), keepdims: keep ? 1 : 0 });
  if (keep) return { names: [y], perm: norm(p) };
  const kept = range(rank).filter((a) => !axes.includes(a));
  return { names: [y], perm: norm(p.filter((a) => kept.includes(a)).map((a) => kept.indexOf(a))) };
};

/** Kernels that need the tfjs layout: inputs are transposed back, the output is in tfjs layout. */
const inTfjsLayout = (build: (c: KernelContext, ins: Record<string, string>) => string[]): Translate => (c) => {
  const ins = Object.fromEntries(Object.keys(c.in).map((k) => [k, logical(c, k)]));
  return { names: build(c, ins), perm: null };
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
  Identity: unary('Identity'),
  Square: (c) => ({ names: [c.g.op('Mul', [c.in.x, c.in.x])], perm: c.perms.x }),
  Cast: (c) => {
    if (c.attrs.dtype === c.tensors.x.dtype) return unary('Identity')(c);
    const to = { float32: 1, int32: 6 }[c.attrs.dtype as string];
    if (to === undefined) throw new Error(`ONNX export: Cast to ${String(c.attrs.dtype)} is not supported (float32, int32)`);
    return { names: [c.g.op('Cast', [c.in.x], { to })], perm: c.perms.x };
  },
  Reshape: reshape,
  Mean: mean,
  Conv2D: conv2d,
  Concat: (c) => {
    const keys = Object.keys(c.in).sort((a, b) => Number(a) - Number(b));
    const perm = norm(c.perms[keys[0]]);
    const axis = physicalAxis(perm, normAxis(c.attrs.axis as number, c.tensors[keys[0]].rank));
    return { names: [c.g.op('Concat', keys.map((k) => input(c, k, perm)), { axis })], perm };
  },
  SplitV: (c) => {
    const perm = norm(c.perms.x);
    const logicalAxis = normAxis(c.attrs.axis as number, c.tensors.x.rank);
    const sizes = c.g.int64s(c.outputs.map((o) => o.shape[logicalAxis]));
    return { names: c.g.node('Split', [c.in.x, sizes], { axis: physicalAxis(perm, logicalAxis) }, c.outputs.map(() => c.g.fresh('split'))), perm };
  },
  // tfjs nearest neighbour (no align-corners, no half-pixel): src = floor(dst · in/out), ONNX 'asymmetric' + 'floor'.
  ResizeNearestNeighbor: (c) => {
    if (c.attrs.alignCorners || c.attrs.halfPixelCenters) throw new Error('ONNX export: ResizeNearestNeighbor with alignCorners/halfPixelCenters is not supported');
    const [n, , , ch] = c.tensors.images.shape;
    const [h, w] = c.attrs.size as number[];
    const modes = { coordinate_transformation_mode: { text: 'asymmetric' }, mode: { text: 'nearest' }, nearest_mode: { text: 'floor' } };
    return { names: [c.g.op('Resize', [input(c, 'images', NCHW), '', '', c.g.int64s([n, ch, h, w])], modes)], perm: NCHW };
  },
  AvgPool: (c) => {
    if (c.attrs.pad !== 'valid') throw new Error(`ONNX export: AvgPool pad '${String(c.attrs.pad)}' is not supported (valid only)`);
    return { names: [c.g.op('AveragePool', [input(c, 'x', NCHW)], { kernel_shape: pair(c.attrs.filterSize), strides: pair(c.attrs.strides) })], perm: NCHW };
  },
  PadV2: (c) => {
    if (c.tensors.x.dtype !== 'float32') throw new Error('ONNX export: PadV2 supports float32 tensors only');
    const perm = norm(c.perms.x);
    const p = (perm ?? range(c.tensors.x.rank)).map((a) => (c.attrs.paddings as [number, number][])[a]);
    const value = c.g.constant('pad_value', 'float32', [], Float32Array.of(c.attrs.constantValue as number));
    return { names: [c.g.op('Pad', [c.in.x, c.g.int64s([...p.map((q) => q[0]), ...p.map((q) => q[1])]), value])], perm };
  },
  Slice: (c) => {
    const perm = norm(c.perms.x);
    const order = perm ?? range(c.tensors.x.rank);
    const begin = order.map((a) => (c.attrs.begin as number[])[a]);
    const size = order.map((a) => c.outputs[0].shape[a]);
    return { names: [c.g.op('Slice', [c.in.x, c.g.int64s(begin), c.g.int64s(begin.map((b, i) => b + size[i]))])], perm };
  },
  ExpandDims: inTfjsLayout((c, ins) => [c.g.op('Unsqueeze', [ins.input, c.g.int64s([normAxis(c.attrs.dim as number, c.tensors.input.rank + 1)])])]),
  BatchMatMul: inTfjsLayout((c, ins) => {
    const t = (name: 'a' | 'b', flag: unknown) => {
      if (!flag) return ins[name];
      const r = c.tensors[name].rank;
      return c.g.op('Transpose', [ins[name]], { perm: [...range(r - 2), r - 1, r - 2] });
    };
    return [c.g.op('MatMul', [t('a', c.attrs.transposeA), t('b', c.attrs.transposeB)])];
  }),
  // One-hot as (indices[..., None] == 0..depth−1), cast: onnxruntime's OneHot lacks int32 index kernels.
  OneHot: inTfjsLayout((c, ins) => {
    const depth = c.attrs.depth as number;
    if (c.attrs.onValue !== 1 || c.attrs.offValue !== 0) throw new Error('ONNX export: OneHot supports on = 1, off = 0 only');
    const values = c.g.constant('onehot_range', 'int32', [depth], Int32Array.from(range(depth)));
    const eq = c.g.op('Equal', [c.g.op('Unsqueeze', [ins.indices, c.g.int64s([-1])]), values]);
    return [c.g.op('Cast', [eq], { to: c.attrs.dtype === 'int32' ? 6 : 1 })];
  }),
};

/** The ONNX value names of the kernel's outputs and their layout. */
export function translateKernel(kernelName: string, c: KernelContext): Translated {
  const translate = TABLE[kernelName];
  if (!translate) throw new Error(`ONNX export: tfjs kernel '${kernelName}' has no ONNX translation (supported: ${Object.keys(TABLE).join(', ')})`);
  return translate(c);
}
