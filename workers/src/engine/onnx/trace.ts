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
  /**
   * The values of a kernel input no traced kernel produced (a parameter, an input, a constant),
   * as they were when it was used: gradient code may dispose its constants before the trace ends.
   */
  valuesOf(t: tf.Tensor): tf.TypedArray;
  /** The tensor `t` is a copy of, when the engine made it inside another kernel (the tape's saved tensors). */
  cloneOf(t: tf.Tensor): tf.Tensor | undefined;
  /** Disposes every tensor the forward pass created (not the parameters or inputs that existed before). */
  dispose(): void;
}

type RunKernel = (kernelName: string, inputs: tf.NamedTensorMap, attrs?: tf.NamedAttrMap) => tf.Tensor | tf.Tensor[];

/**
 * Runs `forward` once, eagerly, recording its kernels. Tensors the record refers to stay alive (they
 * are kept), so the caller must call `dispose()` after reading what it needs.
 */
export function traceKernels<T extends tf.Tensor | tf.Tensor[] | Record<string, tf.Tensor>>(forward: () => T): Trace<T> {
  const engine = tf.engine() as unknown as { runKernel: RunKernel };
  const original = engine.runKernel;
  const kernels: TracedKernel[] = [];
  const produced = new Set<number>();
  const captured = new Map<number, tf.TypedArray>();
  const clones = new Map<number, tf.Tensor>();
  let depth = 0;
  // Tensor ids increase monotonically: anything with a larger id than this marker is the trace's own.
  const marker = tf.scalar(0);
  const firstOwnId = marker.id + 1;
  marker.dispose();
  engine.runKernel = function (this: unknown, kernelName, inputs, attrs = {}) {
    depth++;
    try {
      if (depth === 1) {
        for (const t of Object.values(inputs as Record<string, tf.Tensor>)) {
          if (t.id >= firstOwnId && !produced.has(t.id) && !clones.has(t.id) && !captured.has(t.id)) captured.set(t.id, t.dataSync());
        }
      }
      const out = original.call(this, kernelName, inputs, attrs);
      // The engine saves a kernel's tensors for its gradient as Identity copies made inside that
      // kernel's call; the gradient then reads the copies, which must resolve to their sources.
      if (depth > 1 && kernelName === 'Identity' && !Array.isArray(out)) clones.set(out.id, (inputs as Record<string, tf.Tensor>).x);
      if (depth === 1) {
        const outputs = Array.isArray(out) ? out : [out];
        for (const o of outputs) produced.add(o.id);
        kernels.push({ kernelName, inputs: { ...(inputs as Record<string, tf.Tensor>) }, attrs: { ...attrs }, outputs });
        for (const t of [...Object.values(inputs as Record<string, tf.Tensor>), ...outputs]) tf.keep(t);
      }
      return out;
    } finally {
      depth--;
    }
  };
  const disposeOwn = (returned: tf.Tensor[]) => {
    const all = new Set<tf.Tensor>([...kernels.flatMap((k) => [...Object.values(k.inputs), ...k.outputs]), ...returned]);
    for (const t of all) if (t.id >= firstOwnId) t.dispose();
  };
  let result: T;
  try {
    result = forward();
  } catch (error) {
    disposeOwn([]); // what the record kept before the failure
    throw error;
  } finally {
    engine.runKernel = original;
  }
  const returned = result instanceof tf.Tensor ? [result] : Array.isArray(result) ? result : Object.values(result);
  const cloneOf = (t: tf.Tensor) => {
    let source = clones.get(t.id);
    while (source && clones.has(source.id)) source = clones.get(source.id);
    return source;
  };
  return { kernels, result, valuesOf: (t) => captured.get(t.id) ?? t.dataSync(), cloneOf, dispose: () => disposeOwn(returned) };
}

/**
 * Floats a forward pass materialises per sample (every kernel output, traced at batch 1): the
 * network's activation footprint, which sizes its batches against the 4 GiB wasm heap.
 */
export function activationFloatsPerSample(forwardOne: () => tf.Tensor | tf.Tensor[] | Record<string, tf.Tensor>): number {
  const trace = traceKernels(forwardOne);
  const floats = trace.kernels.reduce((sum, k) => sum + k.outputs.reduce((a, o) => a + o.size, 0), 0);
  trace.dispose();
  return floats;
}
