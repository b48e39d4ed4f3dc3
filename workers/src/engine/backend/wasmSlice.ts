/**
 * Slice and SplitV for the wasm backend without reading the whole input out of the heap. The stock
 * Slice starts with `readSync(x)`, a copy of all of x, for every slice (and SplitV runs one such
 * slice per piece); splitting a network's flattened parameters into ~30 tensors (training/flat.ts)
 * then cost more than the step's matmuls. A slice that is one contiguous run of x is copied
 * straight from a view of the heap instead.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';

interface WasmBackend extends tf.KernelBackend {
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
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

export function registerWasmSlice(): void {
  const stock = tf.getKernel('Slice', 'wasm');
  if (!stock) throw new Error('wasm backend has no Slice kernel to wrap');
  const slice = (args: SliceArgs): TensorInfo => {
    const { inputs: { x }, backend, attrs } = args;
    const [begin, size] = tf.slice_util.parseSliceParams(x as tf.Tensor, attrs.begin, attrs.size);
    if (x.dtype === 'string' || !tf.slice_util.isSliceContinous(x.shape, begin, size)) return stock.kernelFunc(args as never) as TensorInfo;
    const offset = tf.slice_util.computeFlatOffset(begin, tf.util.computeStrides(x.shape));
    // Views are taken after makeOutput, which may grow (and so replace) the heap's buffer.
    const out = backend.makeOutput(size, x.dtype);
    const count = tf.util.sizeFromShape(size);
    backend.typedArrayFromHeap(out).set(backend.typedArrayFromHeap(x).subarray(offset, offset + count));
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
  for (const [kernelName, kernelFunc] of [['Slice', slice], ['SplitV', splitV]] as const) {
    const setupFunc = tf.getKernel(kernelName, 'wasm')?.setupFunc;
    tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc, setupFunc });
  }
}
