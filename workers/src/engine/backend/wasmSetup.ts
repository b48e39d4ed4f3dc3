/**
 * The WebAssembly backend's set-up, kept in one small module: where its .wasm files live (real file
 * paths in Node), the gradient kernels it lacks, non-copying Identity/Cast, fast transposed matmuls and
 * slices that do not copy their whole input.
 * Threads: wasmThreads.ts.
 */
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { registerWasmAliasKernels } from './wasmAliasKernels';
import { registerWasmConvGradients } from './wasmConvGradients';
import { registerWasmMatMul } from './wasmMatMul';
import { registerWasmCopyKernels } from './wasmCopyKernels';

const require = createRequire(import.meta.url);

/** The package's dist folder (with a trailing separator, as setWasmPaths expects a prefix). */
function wasmDistFolder(): string {
  return join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/';
}

let configured = false;

/** Points tfjs at the bundled .wasm files and registers the missing gradient kernels; idempotent. */
export function configureWasm(): void {
  if (configured) return;
  setWasmPaths(wasmDistFolder());
  registerWasmConvGradients();
  registerWasmAliasKernels();
  registerWasmMatMul();
  registerWasmCopyKernels();
  configured = true;
}
