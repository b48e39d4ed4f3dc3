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
  /**
   * Inputs of an elementwise kernel passed as a scalar that stands for a constant of equal values
   * (see export.ts); the kernel broadcasts its result to the output's shape where needed.
   */
  scalars?: ReadonlySet<string>;
  /** onnxruntime's NCHWc block size, when convolutions may run on its blocked kernels (export.ts `ExportOptions`). */
  nchwcBlock?: number;
}

/** Kernels that broadcast their two operands (`a`, `b`) elementwise. */
export const ELEMENTWISE_BINARY: ReadonlySet<string> = new Set(['Add', 'Sub', 'Multiply', 'RealDiv', 'SquaredDifference']);

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
 * the full rank (leading 1s, as broadcasting would) and then that layout. An operand in `scalars`
 * is used as it is.
 */
const binary = (opType: string): Translate => (c) => {
  const [a, b] = [c.tensors.a, c.tensors.b];
  const rank = Math.max(a.rank, b.rank);
  const scalar = (key: 'a' | 'b') => c.scalars?.has(key) ?? false;
  const lead = scalar('a') || (!scalar('b') && b.size > a.size) ? 'b' : 'a';
  const size = c.outputs[0].size;
  const full = (['a', 'b'] as const).filter((k) => !scalar(k) && c.tensors[k].size === size && c.tensors[k].rank === rank);
  // A full-size operand's layout, channels-first preferred (the convolutions'); with none, the
  // result is a broadcast of small operands, made channels-first for rank ≥ 4 so it meets the convs.
  const perm = full.length > 0 ? (full.map((k) => norm(c.perms[k])).find((p) => p !== null) ?? null) : rank >= 4 ? channelsFirst(rank) : null;
  const operand = (key: 'a' | 'b') => {
    if (scalar(key)) return c.in[key];
    const t = c.tensors[key];
    if (t.rank === rank) return input(c, key, perm);
    if (perm === null) return c.in[key]; // ONNX broadcasts the lower rank itself
    const padded = c.g.op('Reshape', [logical(c, key), c.g.int64s([...Array(rank - t.rank).fill(1), ...t.shape])]);
    return relayout(c.g, padded, rank, null, perm);
  };
  const y = c.g.op(opType, [operand('a'), operand('b')]);
  // A per-channel bias added to a channels-first activation (a convolution's, mostly): onnxruntime's Conv can add it itself (fuseConvBias.ts).
  if (opType === 'Add' && rank === 4 && full.length === 1 && perm?.join() === NCHW.join()) {
    const bias = (['a', 'b'] as const).find((k) => !scalar(k) && c.tensors[k].rank === 1 && c.tensors[k].size === c.outputs[0].shape[rank - 1]);
    if (bias) c.g.noteBiasAdd(y, logical(c, bias));
  }
  // A scalar standing for a constant of the output's shape, against a smaller operand: the result
  // is the smaller operand's, broadcast (op(broadcast(x), v) = broadcast(op(x, v))).
  if (full.length > 0 || !(scalar('a') || scalar('b'))) return { names: [y], perm };
  const out = c.outputs[0].shape;
  return { names: [c.g.op('Expand', [y, c.g.int64s((perm ?? range(out.length)).map((axis) => out[axis]))])], perm };
};

/** tfjs 'same' padding (TensorFlow's rule): the odd extra pixel goes at the end. */
function samePads(size: number, k: number, stride: number, dilation: number): [number, number] {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + (k - 1) * dilation + 1 - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

const pair = (v: unknown): [number, number] => (Array.isArray(v) ? [v[0], v[1]] : [v as number, v as number]);
const NCHW = channelsFirst(4);

/** The geometry of a forward Conv2D (tfjs attrs) on an input of logical shape NHWC `x`. */
function convGeometry(kernel: string, attrs: Record<string, unknown>, x: readonly number[], filter: readonly number[]) {
  const [, h, w] = x;
  const [kh, kw] = filter;
  const [sh, sw] = pair(attrs.strides);
  const [dh, dw] = pair(attrs.dilations ?? 1);
  if (attrs.dataFormat !== undefined && attrs.dataFormat !== 'NHWC') throw new Error(`ONNX export: ${kernel} dataFormat ${String(attrs.dataFormat)} is not supported (NHWC only)`);
  let pads: number[];
  if (attrs.pad === 'same') {
    const [t, b] = samePads(h, kh, sh, dh);
    const [l, r] = samePads(w, kw, sw, dw);
    pads = [t, l, b, r];
  } else if (attrs.pad === 'valid') pads = [0, 0, 0, 0];
  else throw new Error(`ONNX export: ${kernel} pad '${String(attrs.pad)}' is not supported (same or valid)`);
  return { h, w, kh, kw, strides: [sh, sw], dilations: [dh, dw], pads };
}

/** A filter (HWIO, logical) as ONNX's [O, I, kH, kW]. */
const oihw = (c: KernelContext, key: string) => c.g.op('Transpose', [logical(c, key)], { perm: [3, 2, 0, 1] });

/**
 * A convolution of an NCHW value by a filter value in tfjs's HWIO layout, [kH, kW, I, O] (`swap`: its
 * in and out channels exchanged, as the input gradient needs). With an NCHWc block size and
 * channels that fill whole blocks, it runs on onnxruntime's blocked kernels (the layout its graph
 * optimiser gives convolutions whose filter is a constant — which a training step's never is): the
 * input is reordered into blocks and the output back, and the filter goes straight from HWIO to
 * [O/b, I/b, kH, kW, b_in, b_out] in one Transpose (a small tensor, but onnxruntime transposes it element
 * by element, once per use per step). 1.3–3× faster than the plain Conv on the MNIST nets' shapes.
 */
function convolve(c: KernelContext, x: string, hwio: string, [kh, kw, fi, fo]: readonly number[], swap: boolean, attrs: { strides: number[]; dilations: number[]; pads: number[] }): string {
  const [o, i] = swap ? [fi, fo] : [fo, fi];
  const spec = { kernel_shape: [kh, kw], ...attrs, group: 1 };
  const b = c.nchwcBlock;
  if (!b || o % b !== 0 || i % b !== 0) return c.g.op('Conv', [x, c.g.op('Transpose', [hwio], { perm: swap ? [2, 3, 0, 1] : [3, 2, 0, 1] })], spec);
  // [kH, kW, I_f/b, b, O_f/b, b] → [O/b, I/b, kH, kW, b_in, b_out].
  const split = c.g.op('Reshape', [hwio, c.g.int64s([kh, kw, fi / b, b, fo / b, b])]);
  const blocked = c.g.op('Reshape', [c.g.op('Transpose', [split], { perm: swap ? [2, 4, 0, 1, 5, 3] : [4, 2, 0, 1, 3, 5] }), c.g.int64s([o, i, kh, kw])]);
  const y = c.g.nchwcOp('Conv', [c.g.nchwcOp('ReorderInput', [x]), blocked], spec);
  return c.g.nchwcOp('ReorderOutput', [y], { channels: o });
}

const conv2d: Translate = (c) => {
  const { strides, dilations, pads } = convGeometry('Conv2D', c.attrs, c.tensors.x.shape, c.tensors.filter.shape);
  return { names: [convolve(c, input(c, 'x', NCHW), logical(c, 'filter'), c.tensors.filter.shape, false, { strides, dilations, pads })], perm: NCHW };
};

/**
 * ∂L/∂x of a Conv2D. Stride 1: a plain convolution of dy with the filter rotated 180° and its in/out
 * channels swapped (onnxruntime's Conv runs ~2× faster than its ConvTranspose); other strides:
 * the transposed convolution of dy with the same filter.
 */
const conv2dBackpropInput: Translate = (c) => {
  const inputShape = c.attrs.inputShape as number[];
  const g = convGeometry('Conv2DBackpropInput', c.attrs, inputShape, c.tensors.filter.shape);
  const dy = input(c, 'dy', NCHW);
  if (g.strides.every((s) => s === 1) && g.dilations.every((d) => d === 1)) {
    // HWIO reversed along kH and kW (whole I × O rows: the outer axes), then used with I and O swapped.
    const big = -(2 ** 31);
    const rotated = c.g.op('Slice', [logical(c, 'filter'), c.g.int64s([-1, -1]), c.g.int64s([big, big]), c.g.int64s([0, 1]), c.g.int64s([-1, -1])]);
    const [pt, pl, pb, pr] = g.pads;
    const pads = [g.kh - 1 - pt, g.kw - 1 - pl, g.kh - 1 - pb, g.kw - 1 - pr];
    return { names: [convolve(c, dy, rotated, c.tensors.filter.shape, true, { strides: [1, 1], dilations: [1, 1], pads })], perm: NCHW };
  }
  const [, oh, ow] = c.tensors.dy.shape;
  // ConvTranspose's size is s·(in−1) + (k−1)·d + 1 − pads; output_padding makes up the rest.
  const natural = (size: number, i: 0 | 1) => g.strides[i] * (size - 1) + ((i ? g.kw : g.kh) - 1) * g.dilations[i] + 1 - g.pads[i] - g.pads[i + 2];
  const outputPadding = [g.h - natural(oh, 0), g.w - natural(ow, 1)];
  const y = c.g.op('ConvTranspose', [dy, oihw(c, 'filter')], {
    kernel_shape: [g.kh, g.kw],
    strides: g.strides,
    dilations: g.dilations,
    pads: g.pads,
    output_padding: outputPadding,
    group: 1,
  });
  return { names: [y], perm: NCHW };
};

/**
 * ∂L/∂W of a Conv2D as matrix products: dW[a, b, i, o] = Σ_{n,p} x_ab[i, n, p]·dy[n, p, o], where
 * x_ab is the padded input shifted by (a, b) (sampled at the stride) and p runs over the output
 * pixels. The input is laid out channel-major ([C_in, N, …]) so that each shift is one GEMM over
 * the whole batch, [C_in, N·P] × [N·P, C_out]: no per-sample products and no batch sum after them
 * (onnxruntime's GEMM runs this far faster than the same sum written as a convolution over the batch).
 * At stride 1 the shifted copies are of whichever side is smaller: dy, zero-padded and shifted against
 * the whole input (a 1×1 filter then needs no copy at all), or the input's windows, flattened over
 * H·W and taken on a grid as wide as the padded input (dy is zero-padded to that width, so the extra
 * columns add nothing): one block per (channel, sample) instead of one short row per output line.
 * Other strides take the input's windows the same way from its phases (SpaceToDepth), not by strided slices.
 */
const conv2dBackpropFilter: Translate = (c) => {
  const filterShape = c.attrs.filterShape as number[];
  const g = convGeometry('Conv2DBackpropFilter', c.attrs, c.tensors.x.shape, filterShape);
  if (g.dilations.some((d) => d !== 1)) throw new Error('ONNX export: Conv2DBackpropFilter with dilations is not supported');
  const [n, , , ci] = c.tensors.x.shape;
  const [, oh, ow, co] = c.tensors.dy.shape;
  const [pt, pl, pb, pr] = g.pads;
  const unit = g.strides.every((s) => s === 1);
  const k = g.kh * g.kw;
  const pad = (v: string, p: number[]) => (p.some((q) => q > 0) ? c.g.op('Pad', [v, c.g.int64s(p), c.g.constant('pad_value', 'float32', [], Float32Array.of(0))]) : v);
  const channelMajor = () => input(c, 'x', [3, 0, 1, 2]); // [C_in, N, H, W]
  // The input's windows are runs of phase grids `rows` × `pw` (below); at stride 1 the grid is the padded input and one row.
  const [sh, sw] = g.strides;
  const [maxDa, maxDb] = [Math.floor((g.kh - 1) / sh), Math.floor((g.kw - 1) / sw)];
  const rows = Math.max(oh + maxDa + 1, Math.ceil((pt + g.h) / sh));
  const pw = Math.max(ow + maxDb, Math.ceil((pl + g.w) / sw));
  // Floats copied by each stride-1 way: the padding and the k shifts.
  const dyCopies = k === 1 ? 0 : (k + 1) * co * n * (g.h + g.kh - 1) * (g.w + g.kw - 1);
  const xCopies = (k + 1) * ci * n * rows * pw;
  const products: string[] = [];
  if (unit && dyCopies <= xCopies) {
    // dW[a, b] = Σ_{n,r,c} x[n, r, c]·dy[n, r + pt − a, c + pl − b]: dy padded so that every shift is a window as large as x.
    const xRows = c.g.op('Reshape', [channelMajor(), c.g.int64s([ci, n * g.h * g.w])]);
    const dy = pad(logical(c, 'dy'), [0, g.kh - 1 - pt, g.kw - 1 - pl, 0, 0, g.kh - 1 - pb, g.kw - 1 - pr, 0]);
    const windowRows = c.g.int64s([n * g.h * g.w, co]);
    for (let a = 0; a < g.kh; a++) {
      for (let b = 0; b < g.kw; b++) {
        const start = [g.kh - 1 - a, g.kw - 1 - b];
        const window = k === 1 ? dy : c.g.op('Slice', [dy, c.g.int64s(start), c.g.int64s([start[0] + g.h, start[1] + g.w]), c.g.int64s([1, 2])]);
        products.push(c.g.op('MatMul', [xRows, c.g.op('Reshape', [window, windowRows])]));
      }
    }
  } else {
    // The input's windows, each a contiguous run of its phase grid as wide as `pw` (dy is zero-padded to that
    // width, so the extra columns add nothing), with one more row than they span for the last one's overhang.
    const x = pad(channelMajor(), [0, 0, pt, pl, 0, 0, sh * rows - pt - g.h, sw * pw - pl - g.w]); // [C_in, N, sh·rows, sw·pw]
    // At stride s the input splits into s_h·s_w phase grids, x[s·i + p]: a shift (a, b) is the window at
    // (⌊a/s_h⌋, ⌊b/s_w⌋) of phase (a mod s_h, b mod s_w) — contiguous runs, where a strided Slice copies element by element.
    // SpaceToDepth (one fast pass) where the strides are equal; a general transpose (slower) otherwise.
    const split = unit ? x : sh === sw ? c.g.op('SpaceToDepth', [x], { blocksize: sh }) : c.g.op('Transpose', [c.g.op('Reshape', [x, c.g.int64s([ci, n, rows, sh, pw, sw])])], { perm: [0, 3, 5, 1, 2, 4] });
    const phases = c.g.op('Reshape', [split, c.g.int64s([ci, sh * sw * n, rows * pw])]); // [C_in, (phase, N), rows·pw]
    const pixels = oh * pw;
    const shiftRows = c.g.int64s([ci, n * pixels]);
    const dyRows = c.g.op('Reshape', [pad(logical(c, 'dy'), [0, 0, 0, 0, 0, 0, pw - ow, 0]), c.g.int64s([n * pixels, co])]);
    for (let a = 0; a < g.kh; a++) {
      for (let b = 0; b < g.kw; b++) {
        const phase = (a % sh) * sw + (b % sw);
        const start = Math.floor(a / sh) * pw + Math.floor(b / sw);
        const shift = c.g.op('Slice', [phases, c.g.int64s([phase * n, start]), c.g.int64s([(phase + 1) * n, start + pixels]), c.g.int64s([1, 2])]);
        products.push(c.g.op('MatMul', [c.g.op('Reshape', [shift, shiftRows]), dyRows])); // each [C_in, C_out]
      }
    }
  }
  const stacked = products.length === 1 ? products[0] : c.g.op('Concat', products, { axis: 0 });
  return { names: [c.g.op('Reshape', [stacked, c.g.int64s([g.kh, g.kw, ci, co])])], perm: null };
};

/**
 * The gradient of nearest-neighbour upsampling by a whole factor: each input pixel receives the sum
 * of its f × f block of dy (a reshape that splits H and W, and a sum over the blocks).
 */
const resizeNearestNeighborGrad: Translate = (c) => {
  const [n, oh, ow, ch] = c.tensors.dy.shape;
  const [, h, w] = c.tensors.images.shape;
  if (c.attrs.alignCorners || c.attrs.halfPixelCenters || oh % h !== 0 || ow % w !== 0) {
    throw new Error('ONNX export: ResizeNearestNeighborGrad supports whole-factor upsampling without alignCorners/halfPixelCenters only');
  }
  const blocks = c.g.op('Reshape', [input(c, 'dy', NCHW), c.g.int64s([n, ch, h, oh / h, w, ow / w])]);
  return { names: [c.g.op('ReduceSum', [blocks, c.g.int64s([3, 5])], { keepdims: 0 })], perm: NCHW };
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

/**
 * A reduction over tfjs `axis` (Mean, Sum) or `reductionIndices` (Max). Opset 13's ReduceSum takes
 * its axes as an input, the others as an attribute.
 */
const reduce = (opType: 'ReduceMean' | 'ReduceSum' | 'ReduceMax', axisAttr: 'axis' | 'reductionIndices'): Translate => (c) => {
  const rank = c.tensors.x.rank;
  const p = c.perms.x ?? range(rank);
  const given = c.attrs[axisAttr] as number | number[] | null | undefined;
  const axes = given === null || given === undefined ? range(rank) : (Array.isArray(given) ? given : [given]).map((a) => normAxis(a, rank));
  const keep = Boolean(c.attrs.keepDims);
  const physical = axes.map((a) => p.indexOf(a));
  const y =
    opType === 'ReduceSum'
      ? c.g.op(opType, [c.in.x, c.g.int64s(physical)], { keepdims: keep ? 1 : 0 })
      : c.g.op(opType, [c.in.x], { axes: physical, keepdims: keep ? 1 : 0 });
  if (opType === 'ReduceMean') c.g.noteReduction(y, p.map((a) => c.tensors.x.shape[a]));
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
  Rsqrt: (c) => ({ names: [c.g.op('Reciprocal', [c.g.op('Sqrt', [c.in.x])])], perm: c.perms.x }),
  Identity: unary('Identity'),
  Square: (c) => ({ names: [c.g.op('Mul', [c.in.x, c.in.x])], perm: c.perms.x }),
  Cast: (c) => {
    if (c.attrs.dtype === c.tensors.x.dtype) return unary('Identity')(c);
    const to = { float32: 1, int32: 6 }[c.attrs.dtype as string];
    if (to === undefined) throw new Error(`ONNX export: Cast to ${String(c.attrs.dtype)} is not supported (float32, int32)`);
    return { names: [c.g.op('Cast', [c.in.x], { to })], perm: c.perms.x };
  },
  Reshape: reshape,
  SquaredDifference: (c) => {
    const d = binary('Sub')(c);
    return { names: [c.g.op('Mul', [d.names[0], d.names[0]])], perm: d.perm };
  },
  Neg: unary('Neg'),
  Exp: unary('Exp'),
  Log: unary('Log'),
  Mean: reduce('ReduceMean', 'axis'),
  Sum: reduce('ReduceSum', 'axis'),
  Max: reduce('ReduceMax', 'reductionIndices'),
  Conv2D: conv2d,
  Conv2DBackpropInput: conv2dBackpropInput,
  Conv2DBackpropFilter: conv2dBackpropFilter,
  ResizeNearestNeighborGrad: resizeNearestNeighborGrad,
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
  Transpose: inTfjsLayout((c, ins) => [c.g.op('Transpose', [ins.x], { perm: c.attrs.perm as number[] })]),
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
