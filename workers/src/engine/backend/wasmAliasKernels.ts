/**
 * Identity and same-dtype Cast for the wasm backend as reference-counted aliases (what the cpu backend
 * does) instead of copies. The gradient tape clones every tensor it saves for the backward pass, and
 * tfjs's Mul/Div gradients cast float32 operands to float32, so wasm's copying kernels spent as much time
 * as the convolutions did on a U-Net step. Tensors are immutable, so sharing the buffer is safe.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';

interface AliasArgs {
  inputs: { x: TensorInfo };
  backend: tf.KernelBackend & { incRef(dataId: object): void };
  attrs?: { dtype?: tf.DataType };
}

export function registerWasmAliasKernels(): void {
  for (const kernelName of ['Identity', 'Cast'] as const) {
    const stock = tf.getKernel(kernelName, 'wasm');
    if (!stock) throw new Error(`wasm backend has no ${kernelName} kernel to wrap`);
    const alias = (args: AliasArgs): TensorInfo => {
      const { x } = args.inputs;
      const dtype = args.attrs?.dtype ?? x.dtype;
      if (dtype !== x.dtype || x.dtype === 'string') return stock.kernelFunc(args as never) as TensorInfo;
      args.backend.incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype };
    };
    tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: alias as unknown as KernelFunc, setupFunc: stock.setupFunc });
  }
}
