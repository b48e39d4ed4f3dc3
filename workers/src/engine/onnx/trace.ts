/**
 * Records the kernels a tfjs forward pass runs, with their inputs, attributes and outputs, by
 * wrapping `engine.runKernel` for the duration of one call. Every op the networks' primitive layers
 * use reaches a backend through that one method, so the record is the network's data-flow graph at
 * kernel level; the ONNX exporter translates it kernel by kernel. Nested calls (a kernel that runs
 * other kernels) are recorded only at the outermost level.
 */
import * as tf from '@tensorflow/tfjs-core';

export interface TracedKernel {
  kernelName: string;
  inputs: Record<string, tf.Tensor>;
  attrs: Record<string, unknown>;
  outputs: tf.Tensor[];
}

export interface Trace<T> {
  kernels: TracedKernel[];
  result: T;
}

type RunKernel = (kernelName: string, inputs: tf.NamedTensorMap, attrs?: tf.NamedAttrMap) => tf.Tensor | tf.Tensor[];

/**
 * Runs `forward` once, eagerly, recording its kernels. Tensors the record refers to stay alive (they
 * are kept), so the caller must dispose them with `disposeTrace` after reading what it needs.
 */
export function traceKernels<T extends tf.Tensor | tf.Tensor[] | Record<string, tf.Tensor>>(forward: () => T): Trace<T> {
  const engine = tf.engine() as unknown as { runKernel: RunKernel };
  const original = engine.runKernel;
  const kernels: TracedKernel[] = [];
  let depth = 0;
  engine.runKernel = function (this: unknown, kernelName, inputs, attrs = {}) {
    depth++;
    try {
      const out = original.call(this, kernelName, inputs, attrs);
      if (depth === 1) {
        const outputs = Array.isArray(out) ? out : [out];
        kernels.push({ kernelName, inputs: { ...(inputs as Record<string, tf.Tensor>) }, attrs: { ...attrs }, outputs });
        for (const t of [...Object.values(inputs as Record<string, tf.Tensor>), ...outputs]) tf.keep(t);
      }
      return out;
    } finally {
      depth--;
    }
  };
  try {
    return { kernels, result: forward() };
  } finally {
    engine.runKernel = original;
  }
}
