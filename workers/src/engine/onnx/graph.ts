/**
 * A small ONNX graph builder over the onnx-proto message classes: named values, constant
 * initialisers and nodes, serialised to a ModelProto (IR 7, opset 13 — both read by onnxruntime ≥ 1.8).
 */
import onnxProto from 'onnx-proto';
import { fuseConvBiases } from './fuseConvBias';
import { fuseGroupNorms } from './fuseNormalization';

const { onnx } = onnxProto;
export const OPSET = 13;
const IR_VERSION = 7;

export type ElemType = 'float32' | 'int32' | 'int64' | 'bool';
const ELEM: Record<ElemType, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  int32: onnx.TensorProto.DataType.INT32,
  int64: onnx.TensorProto.DataType.INT64,
  bool: onnx.TensorProto.DataType.BOOL,
};

export type AttrValue = number | number[] | { float: number } | { text: string };

export interface ValueInfo {
  name: string;
  type: ElemType;
  /** −1: a dimension known only when the graph runs. */
  shape: number[];
}

function valueInfo({ name, type, shape }: ValueInfo) {
  return onnx.ValueInfoProto.create({
    name,
    type: { tensorType: { elemType: ELEM[type], shape: { dim: shape.map((d, i) => (d < 0 ? { dimParam: `d${i}` } : { dimValue: d })) } } },
  });
}

function attribute(name: string, value: AttrValue) {
  const T = onnx.AttributeProto.AttributeType;
  if (Array.isArray(value)) return onnx.AttributeProto.create({ name, type: T.INTS, ints: value });
  if (typeof value === 'object' && 'text' in value) return onnx.AttributeProto.create({ name, type: T.STRING, s: new TextEncoder().encode(value.text) });
  if (typeof value === 'object') return onnx.AttributeProto.create({ name, type: T.FLOAT, f: value.float });
  return onnx.AttributeProto.create({ name, type: T.INT, i: value });
}

function rawBytes(data: Float32Array | Int32Array | BigInt64Array | Uint8Array): Uint8Array {
  return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
}

/** onnxruntime's blocked-layout (NCHWc) CPU kernels: ReorderInput, ReorderOutput, Conv. */
export const NCHWC_DOMAIN = 'com.microsoft.nchwc';

export class GraphBuilder {
  private readonly nodes: InstanceType<typeof onnx.NodeProto>[] = [];
  private readonly domains = new Set<string>();
  private readonly initializers: InstanceType<typeof onnx.TensorProto>[] = [];
  private readonly names = new Set<string>();
  private counter = 0;
  /** The physical input shape of each ReduceMean, by its output (what fuseGroupNorms needs). */
  private readonly reducedShape = new Map<string, readonly number[]>();
  /** The bias vector of each Add of a per-channel bias, by the Add's output (what fuseConvBiases needs). */
  private readonly biasAdds = new Map<string, string>();

  /** A fresh value name (prefix plus a counter). */
  fresh(prefix: string): string {
    let name = `${prefix}_${this.counter++}`;
    while (this.names.has(name)) name = `${prefix}_${this.counter++}`;
    this.names.add(name);
    return name;
  }

  /** A constant tensor; returns its value name. Little-endian raw data, as ONNX specifies. */
  constant(prefix: string, type: ElemType, shape: number[], data: Float32Array | Int32Array | BigInt64Array | Uint8Array): string {
    const name = this.fresh(prefix);
    this.initializers.push(onnx.TensorProto.create({ name, dataType: ELEM[type], dims: shape, rawData: rawBytes(data) }));
    return name;
  }

  int64s(values: number[]): string {
    return this.constant('i64', 'int64', [values.length], BigInt64Array.from(values.map(BigInt)));
  }

  /** Adds a node (of the default ONNX domain unless `domain`); returns the names of its outputs (fresh unless given). */
  node(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, outputs: string[] = [this.fresh(opType.toLowerCase())], domain = ''): string[] {
    for (const o of outputs) this.names.add(o);
    if (domain) this.domains.add(domain);
    this.nodes.push(
      onnx.NodeProto.create({
        opType,
        domain,
        input: inputs,
        output: outputs,
        name: `${opType}_${this.nodes.length}`,
        attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
      }),
    );
    return outputs;
  }

  /** One-output node. */
  op(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}): string {
    return this.node(opType, inputs, attrs)[0];
  }

  /** One-output node of onnxruntime's NCHWc domain (version 1). */
  nchwcOp(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}): string {
    return this.node(opType, inputs, attrs, [this.fresh(`nchwc_${opType.toLowerCase()}`)], NCHWC_DOMAIN)[0];
  }

  /** Records the (physical) shape of a ReduceMean's input, by the node's output name. */
  noteReduction(output: string, inputShape: readonly number[]): void {
    this.reducedShape.set(output, inputShape);
  }

  /** Records that the Add making `output` adds the vector `bias` along the channel axis. */
  noteBiasAdd(output: string, bias: string): void {
    this.biasAdds.set(output, bias);
  }

  /** The value of a one-element float32 constant, or undefined. */
  private scalar(name: string): number | undefined {
    const t = this.initializers.find((i) => i.name === name);
    if (!t || t.dataType !== ELEM.float32 || t.rawData?.length !== 4) return undefined;
    return new DataView(t.rawData.buffer, t.rawData.byteOffset, 4).getFloat32(0, true);
  }

  reserve(name: string): string {
    if (this.names.has(name)) throw new Error(`ONNX value name '${name}' is used twice`);
    this.names.add(name);
    return name;
  }

  toModel(name: string, inputs: ValueInfo[], outputs: ValueInfo[]): Uint8Array {
    const ones = new Map<string, string>();
    const outputNames = new Set(outputs.map((o) => o.name));
    const normalised = fuseGroupNorms(this.nodes, {
      reducedShape: this.reducedShape,
      scalar: (n) => this.scalar(n),
      ones: (shape) => {
        const key = shape.join();
        if (!ones.has(key)) ones.set(key, this.constant('ones', 'float32', shape, new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(1)));
        return ones.get(key)!;
      },
      outputs: outputNames,
    });
    const nodes = fuseConvBiases(normalised, this.biasAdds, outputNames);
    // The fusions leave the constants of the nodes they replaced unused, and onnxruntime warns of each.
    const used = new Set([...nodes.flatMap((n) => n.input), ...outputs.map((o) => o.name)]);
    const model = onnx.ModelProto.create({
      irVersion: IR_VERSION,
      opsetImport: [{ domain: '', version: OPSET }, ...[...this.domains].map((domain) => ({ domain, version: 1 }))],
      producerName: 'guidance-lab',
      graph: { name, node: nodes, initializer: this.initializers.filter((i) => used.has(i.name)), input: inputs.map(valueInfo), output: outputs.map(valueInfo) },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}
