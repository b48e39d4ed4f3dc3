/**
 * ONNX export of the engine's networks from their own forward functions and weights: one traced
 * forward pass (trace.ts) at a fixed batch size is translated kernel by kernel (kernels.ts). The
 * parameters become named initialisers; any other constant (e.g. the sinusoidal frequencies) is
 * stored by value. The exported graph has a fixed batch size: export once per batch size used.
 * Inputs and outputs are in tfjs's NHWC layout; inside, conv activations run channels-first (kernels.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { applyEps, classify, gradClassLogProb, type ClassifierConfig, type EpsNetConfig, type Params } from '../networks/index';
import { GraphBuilder, type ElemType, type ValueInfo } from './graph';
import { ELEMENTWISE_BINARY, relayout, translateKernel, type Perm } from './kernels';
import { traceKernels } from './trace';

export interface GraphInput {
  name: string;
  tensor: tf.Tensor;
}

function elemType(dtype: tf.DataType): ElemType {
  if (dtype === 'float32' || dtype === 'int32' || dtype === 'bool') return dtype;
  throw new Error(`ONNX export: tensors of dtype ${dtype} are not supported`);
}

const info = (name: string, t: tf.Tensor): ValueInfo => ({ name, type: elemType(t.dtype), shape: t.shape });

export interface ExportOptions {
  /**
   * onnxruntime's NCHWc block size (session.ts `nchwcBlockSize`): convolutions whose channels fill
   * whole blocks use its blocked kernels. Only for graphs whose filters are computed (a training
   * step); onnxruntime already does this itself where a filter is a constant.
   */
  nchwcBlock?: number;
}

/**
 * Exports `forward` (a function of the given input tensors, returning named outputs) as an ONNX model.
 * Tensors in `params` become initialisers under their parameter names.
 */
export function exportForward(name: string, inputs: GraphInput[], params: Params, forward: () => Record<string, tf.Tensor>, options: ExportOptions = {}): Uint8Array {
  const g = new GraphBuilder();
  const names = new Map<number, string>();
  const perms = new Map<string, Perm>();
  for (const { name: n, tensor } of inputs) names.set(tensor.id, g.reserve(n));
  const paramIds = new Map<number, string>();
  for (const [n, t] of params) paramIds.set(t.id, n);

  const trace = traceKernels(forward);
  const { kernels, result } = trace;
  try {
    const valueOf = (t: tf.Tensor): string => {
      const known = names.get(t.id);
      if (known) return known;
      const param = paramIds.get(t.id);
      // A tensor no traced kernel produced: a parameter (by name) or a constant (by value).
      const data = trace.valuesOf(t);
      const type = elemType(t.dtype);
      const array = type === 'float32' ? Float32Array.from(data) : type === 'int32' ? Int32Array.from(data) : Uint8Array.from(data);
      const value = g.constant(param ? `param_${param}` : 'const', type, t.shape, array);
      names.set(t.id, value);
      return value;
    };
    // A constant of equal values (a gradient's ones(x.shape), say) can be as large as an activation;
    // in an elementwise kernel one scalar does the same (kernels.ts broadcasts the result).
    const scalars = new Map<number, string | null>(); // by tensor id, so each is checked and stored once
    const scalarOf = (t: tf.Tensor): string | null => {
      if (t.size < 2 || names.has(t.id) || paramIds.has(t.id) || t.dtype !== 'float32') return null;
      if (!scalars.has(t.id)) {
        const data = trace.valuesOf(t);
        scalars.set(t.id, data.every((v) => v === data[0]) ? g.constant('const', 'float32', [], Float32Array.of(data[0])) : null);
      }
      return scalars.get(t.id) ?? null;
    };
    for (const k of kernels) {
      const ins: Record<string, string> = {};
      const inPerms: Record<string, Perm> = {};
      const asScalar = new Set<string>();
      for (const [n, input] of Object.entries(k.inputs)) {
        const t = trace.cloneOf(input) ?? input;
        const scalar = ELEMENTWISE_BINARY.has(k.kernelName) && !asScalar.has(n === 'a' ? 'b' : 'a') ? scalarOf(t) : null;
        if (scalar) asScalar.add(n);
        ins[n] = scalar ?? valueOf(t);
        inPerms[n] = perms.get(ins[n]) ?? null;
      }
      const out = translateKernel(k.kernelName, { g, in: ins, perms: inPerms, tensors: k.inputs, attrs: k.attrs, outputs: k.outputs, scalars: asScalar, nchwcBlock: options.nchwcBlock });
      k.outputs.forEach((t, i) => {
        names.set(t.id, out.names[i]);
        perms.set(out.names[i], out.perm);
      });
    }
    const outputs = Object.entries(result).map(([n, t]) => {
      const value = names.get((trace.cloneOf(t) ?? t).id);
      if (!value) throw new Error(`ONNX export: output '${n}' was not computed by a traced kernel`);
      g.node('Identity', [relayout(g, value, t.rank, perms.get(value) ?? null, null)], {}, [g.reserve(n)]);
      return info(n, t);
    });
    return g.toModel(name, inputs.map((i) => info(i.name, i.tensor)), outputs);
  } finally {
    trace.dispose();
  }
}

/** Example inputs of the right shapes and dtypes (the values do not matter to the graph). */
function exampleInputs(shape: number[], batch: number, withTime: boolean, withLabels: boolean): GraphInput[] {
  if (!Number.isInteger(batch) || batch < 1) throw new Error(`ONNX export batch size must be a whole number ≥ 1, got ${batch}`);
  const inputs: GraphInput[] = [{ name: 'x', tensor: tf.zeros([batch, ...shape]) }];
  if (withTime) inputs.push({ name: 't', tensor: tf.zeros([batch], 'int32') });
  if (withLabels) inputs.push({ name: 'y', tensor: tf.zeros([batch], 'int32') });
  return inputs;
}

function withInputs(inputs: GraphInput[], run: () => Uint8Array): Uint8Array {
  try {
    return run();
  } finally {
    for (const i of inputs) i.tensor.dispose();
  }
}

/** ε_θ(x, t, y) as ONNX: inputs x [B, ...shape] float32, t [B] int32, y [B] int32; output `eps`. */
export function exportEpsNet(cfg: EpsNetConfig, params: Params, batch: number): Uint8Array {
  const inputs = exampleInputs(cfg.inputShape, batch, true, true);
  const [x, t, y] = inputs.map((i) => i.tensor);
  return withInputs(inputs, () => exportForward(cfg.kind, inputs, params, () => ({ eps: applyEps(cfg, params, x, t as tf.Tensor1D, y as tf.Tensor1D) })));
}

/** A classifier as ONNX: inputs x (and t when time-conditioned); outputs `features` and `logits`. */
export function exportClassifier(cfg: ClassifierConfig, params: Params, batch: number): Uint8Array {
  const inputs = exampleInputs(cfg.inputShape, batch, cfg.timeConditioned, false);
  const [x, t] = inputs.map((i) => i.tensor);
  return withInputs(inputs, () => exportForward('classifier', inputs, params, () => classify(cfg, params, x, cfg.timeConditioned ? (t as tf.Tensor1D) : null)));
}

/**
 * ∇_x Σ log f(y | x, t) of a noise-aware classifier as ONNX (tfjs's own gradient kernels, traced):
 * inputs x, t, y; output `grad` shaped like x. Classifier guidance's gradient without tfjs.
 */
export function exportGradLogProb(cfg: ClassifierConfig, params: Params, batch: number): Uint8Array {
  if (!cfg.timeConditioned) throw new Error('the guidance gradient needs a time-conditioned (noise-aware) classifier');
  const inputs = exampleInputs(cfg.inputShape, batch, true, true);
  const [x, t, y] = inputs.map((i) => i.tensor);
  return withInputs(inputs, () =>
    exportForward('grad-log-prob', inputs, params, () => ({ grad: gradClassLogProb(cfg, params, x, t as tf.Tensor1D, y as tf.Tensor1D) })),
  );
}
