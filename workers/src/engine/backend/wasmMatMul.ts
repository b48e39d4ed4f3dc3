/**
 * BatchMatMul for the wasm backend with transposed operands made explicit. The stock kernel runs its
 * fast path only for untransposed operands; the transposed cases — every matmul gradient
 * (dA = dY·Bᵀ, dB = Aᵀ·dY) — fall to a slow loop (measured 4–5× slower on a 256×128×128 product).
 * Transposing first costs one pass over the operand.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';

interface MatMulArgs {
  inputs: { a: TensorInfo; b: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo };
  backend: tf.KernelBackend;
  attrs: { transposeA: boolean; transposeB: boolean } & Record<string, unknown>;
}

export function registerWasmMatMul(): void {
  for (const kernelName of ['BatchMatMul', '_FusedMatMul'] as const) {
    const stock = tf.getKernel(kernelName, 'wasm');
    const transpose = tf.getKernel('Transpose', 'wasm');
    if (!stock || !transpose) throw new Error(`wasm backend has no ${stock ? 'Transpose' : kernelName} kernel to build on`);
    const swapLast = (x: TensorInfo, backend: tf.KernelBackend): TensorInfo => {
      const perm = x.shape.map((_, i) => i);
      [perm[perm.length - 2], perm[perm.length - 1]] = [perm[perm.length - 1], perm[perm.length - 2]];
      return transpose.kernelFunc({ inputs: { x }, backend, attrs: { perm } } as never) as TensorInfo;
    };
    const kernelFunc = (args: MatMulArgs): TensorInfo => {
      const { transposeA, transposeB } = args.attrs;
      if (!transposeA && !transposeB) return stock.kernelFunc(args as never) as TensorInfo;
      const a = transposeA ? swapLast(args.inputs.a, args.backend) : args.inputs.a;
      const b = transposeB ? swapLast(args.inputs.b, args.backend) : args.inputs.b;
      try {
        return stock.kernelFunc({ ...args, inputs: { ...args.inputs, a, b }, attrs: { ...args.attrs, transposeA: false, transposeB: false } } as never) as TensorInfo;
      } finally {
        if (transposeA) args.backend.disposeData(a.dataId);
        if (transposeB) args.backend.disposeData(b.dataId);
      }
    };
    tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc, setupFunc: stock.setupFunc });
  }
}
