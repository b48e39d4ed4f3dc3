/**
 * Slice, SplitV and Concat for the wasm backend as plain strided copies on views of the heap.
 * The stock Slice starts with `readSync(x)`, a copy of all of x, for every slice (and SplitV runs
 * one such slice per piece), and the stock Concat copies row by row through a new subarray per row:
 * splitting a network's flattened parameters (training/flat.ts) cost more than the step's matmuls,
 * and a U-Net's channel concat and its gradient (a split along channels, 8 values per row) took
 * 20 ms of a 440 ms step. Slices that differ from x along more than one axis use the stock kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';

type Values = Float32Array | Int32Array | Uint8Array;

interface WasmBackend extends tf.KernelBackend {
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Values;
}

interface SliceArgs {
  inputs: { x: TensorInfo };
  backend: WasmBackend;
  attrs: { begin: number | number[]; size: number | number[] };
}

interface SplitArgs {
  inputs: { x: TensorInfo };
  backend: WasmBackend;
  attrs: { numOrSizeSplits: number | number[]; axis: number | number[] };
}

interface ConcatArgs {
  inputs: TensorInfo[];
  backend: WasmBackend;
  attrs: { axis: number | number[] };
}

const product = (dims: number[]) => dims.reduce((a, b) => a * b, 1);

/** `rows` blocks of `block` values: src[srcOffset + r·srcStride …] → dst[dstOffset + r·dstStride …]. */
function copyRows(src: Values, srcOffset: number, srcStride: number, dst: Values, dstOffset: number, dstStride: number, rows: number, block: number): void {
  if (block >= 64) {
    for (let r = 0; r < rows; r++) dst.set(src.subarray(srcOffset + r * srcStride, srcOffset + r * srcStride + block), dstOffset + r * dstStride);
    return;
  }
  for (let r = 0; r < rows; r++) {
    const s = srcOffset + r * srcStride;
    const d = dstOffset + r * dstStride;
    for (let j = 0; j < block; j++) dst[d + j] = src[s + j];
  }
}

export function registerWasmCopyKernels(): void {
  const stockSlice = tf.getKernel('Slice', 'wasm');
  if (!stockSlice) throw new Error('wasm backend has no Slice kernel to wrap');

  const slice = (args: SliceArgs): TensorInfo => {
    const { inputs: { x }, backend, attrs } = args;
    const [begin, size] = tf.slice_util.parseSliceParams(x as tf.Tensor, attrs.begin, attrs.size);
    const cut = x.shape.map((d, i) => (size[i] === d ? -1 : i)).filter((i) => i >= 0);
    if (x.dtype === 'string' || cut.length > 1) return stockSlice.kernelFunc(args as never) as TensorInfo;
    // At most one axis is cut: the slice is `rows` runs of `block` values, one per outer index.
    const axis = cut.length ? cut[0] : 0;
    const inner = product(x.shape.slice(axis + 1));
    const rows = product(x.shape.slice(0, axis));
    // Views are taken after makeOutput, which may grow (and so replace) the heap's buffer.
    const out = backend.makeOutput(size, x.dtype);
    copyRows(backend.typedArrayFromHeap(x), begin[axis] * inner, x.shape[axis] * inner, backend.typedArrayFromHeap(out), 0, size[axis] * inner, rows, size[axis] * inner);
    return out;
  };

  const splitV = ({ inputs: { x }, backend, attrs }: SplitArgs): TensorInfo[] => {
    const axis = tf.util.parseAxisParam(attrs.axis, x.shape)[0];
    const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, attrs.numOrSizeSplits, axis);
    const begin = x.shape.map(() => 0);
    return sizes.map((n) => {
      const size = [...x.shape];
      size[axis] = n;
      const piece = slice({ inputs: { x }, backend, attrs: { begin: [...begin], size } });
      begin[axis] += n;
      return piece;
    });
  };

  const stockConcat = tf.getKernel('Concat', 'wasm');
  if (!stockConcat) throw new Error('wasm backend has no Concat kernel to wrap');
  const concat = (args: ConcatArgs): TensorInfo => {
    const { inputs, backend } = args;
    const axis = tf.util.parseAxisParam(args.attrs.axis, inputs[0].shape)[0];
    const parts = inputs.filter((t) => product(t.shape) > 0);
    if (inputs[0].dtype === 'string' || parts.length < 2) return stockConcat.kernelFunc(args as never) as TensorInfo;
    tf.backend_util.assertParamsConsistent(inputs.map((t) => t.shape), axis);
    const out = backend.makeOutput(tf.backend_util.computeOutShape(inputs.map((t) => t.shape), axis), inputs[0].dtype);
    const rows = product(parts[0].shape.slice(0, axis));
    const blocks = parts.map((t) => product(t.shape.slice(axis)));
    const stride = blocks.reduce((a, b) => a + b, 0);
    const outValues = backend.typedArrayFromHeap(out);
    let offset = 0;
    parts.forEach((t, i) => {
      copyRows(backend.typedArrayFromHeap(t), 0, blocks[i], outValues, offset, stride, rows, blocks[i]);
      offset += blocks[i];
    });
    return out;
  };

  for (const [kernelName, kernelFunc] of [['Slice', slice], ['SplitV', splitV], ['Concat', concat]] as const) {
    const setupFunc = tf.getKernel(kernelName, 'wasm')?.setupFunc;
    tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc, setupFunc });
  }
}
