/**
 * Group normalisation as one onnxruntime kernel. The networks normalise each group as
 * x̂ = (x − mean(x))·(mean((x − mean(x))²) + ε)^−½ (networks/layers.ts), which exports as seven
 * nodes making about nine passes over the activation — memory-bound, a fifth of an ε-net's forward
 * time. In the channels-first layout the exporter keeps, a group's values are the trailing axes of
 * [N, G, C/G, H, W], so the same arithmetic is onnxruntime's LayerNormalization over those axes
 * (scale 1, no bias), whose InvStdDev output is the (mean + ε)^−½ the gradient reuses.
 */
import onnxProto from 'onnx-proto';
import { indexNodes, type Node } from './nodeIndex';

const intsAttr = (n: Node, name: string) => n.attribute.find((a) => a.name === name)?.ints?.map(Number);
const intAttr = (n: Node, name: string, fallback: number) => {
  const a = n.attribute.find((x) => x.name === name);
  return a ? Number(a.i) : fallback;
};

export interface FusionContext {
  /** The (physical) shape of the input of each ReduceMean node, by the node's output name. */
  reducedShape: ReadonlyMap<string, readonly number[]>;
  /** A scalar float constant's value, by value name (undefined if the value is not one). */
  scalar(name: string): number | undefined;
  /** A constant of ones of `shape`; returns its value name. */
  ones(shape: number[]): string;
  /** Value names that must keep being produced (the graph's outputs). */
  outputs: ReadonlySet<string>;
}

/** The nodes with each group normalisation replaced by one LayerNormalization node. */
export function fuseGroupNorms(nodes: Node[], c: FusionContext): Node[] {
  const { producer, consumers, readOnlyBy: only } = indexNodes(nodes, c.outputs);
  const single = (value: string, op: string) => {
    const users = consumers.get(value) ?? [];
    return users.length === 1 && users[0].opType === op ? users[0] : undefined;
  };
  const removed = new Set<Node>();
  const replacement = new Map<Node, Node>();
  for (const mean of nodes) {
    if (mean.opType !== 'ReduceMean' || intAttr(mean, 'keepdims', 1) !== 1) continue;
    const axes = intsAttr(mean, 'axes');
    const shape = c.reducedShape.get(mean.output[0]);
    if (!axes || !shape) continue;
    const rank = shape.length;
    const sorted = [...axes].sort((a, b) => a - b);
    if (!sorted.every((a, i) => a === rank - sorted.length + i)) continue; // LayerNormalization: the trailing axes only
    const x = mean.input[0];
    const sub = single(mean.output[0], 'Sub');
    if (!sub || sub.input[0] !== x || sub.input[1] !== mean.output[0]) continue;
    const centred = sub.output[0];
    const users = consumers.get(centred) ?? [];
    const square = users.find((n) => n.opType === 'Mul' && n.input[0] === centred && n.input[1] === centred);
    const scale = users.find((n) => n !== square && n.opType === 'Mul');
    if (!square || !scale || users.length !== 2) continue;
    const variance = single(square.output[0], 'ReduceMean');
    if (!variance || intAttr(variance, 'keepdims', 1) !== 1 || intsAttr(variance, 'axes')?.join() !== axes.join()) continue;
    const add = single(variance.output[0], 'Add');
    if (!add) continue;
    // ε: a constant, possibly behind the exporter's relayout of it (a Transpose or Reshape, used only here).
    const wrappers: Node[] = [];
    let epsName = add.input[0] === variance.output[0] ? add.input[1] : add.input[0];
    for (let p = producer.get(epsName); p && (p.opType === 'Transpose' || p.opType === 'Reshape') && only(epsName, add, ...wrappers); p = producer.get(epsName)) {
      wrappers.push(p);
      epsName = p.input[0];
    }
    const eps = c.scalar(epsName);
    if (eps === undefined) continue;
    const sqrt = single(add.output[0], 'Sqrt');
    const reciprocal = sqrt && single(sqrt.output[0], 'Reciprocal');
    if (!reciprocal) continue;
    const rstd = reciprocal.output[0];
    if (!scale.input.includes(rstd) || !scale.input.includes(centred)) continue;
    if (![mean.output[0], centred, square.output[0], variance.output[0], add.output[0], sqrt.output[0]].every((v) => only(v, sub, square, scale, variance, add, sqrt, reciprocal))) continue;
    const fused = onnxProto.onnx.NodeProto.create({
      opType: 'LayerNormalization',
      domain: '',
      name: `${scale.name}_groupnorm`,
      input: [x, c.ones([...shape.slice(rank - axes.length)])],
      output: [scale.output[0], '', rstd], // the mean is not needed
      attribute: [
        onnxProto.onnx.AttributeProto.create({ name: 'axis', type: onnxProto.onnx.AttributeProto.AttributeType.INT, i: rank - axes.length }),
        onnxProto.onnx.AttributeProto.create({ name: 'epsilon', type: onnxProto.onnx.AttributeProto.AttributeType.FLOAT, f: eps }),
      ],
    });
    // In place of the reciprocal: before every user of either output.
    for (const n of [mean, sub, square, variance, add, sqrt, scale, ...wrappers]) removed.add(n);
    replacement.set(reciprocal, fused);
  }
  return nodes.filter((n) => !removed.has(n)).map((n) => replacement.get(n) ?? n);
}
