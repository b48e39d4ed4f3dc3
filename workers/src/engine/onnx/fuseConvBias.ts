/**
 * A convolution's bias added by the convolution itself. The networks add a per-channel bias after
 * every convolution (networks/layers.ts `conv`), which exports as a Conv and a broadcast Add — one
 * more pass over a memory-bound activation. onnxruntime fuses the two only when the bias is a
 * constant; a training step's bias is an input, so the exporter notes each such Add (its bias as a
 * vector) and this pass gives the vector to the Conv as its bias input instead.
 */
import onnxProto from 'onnx-proto';
import { indexNodes, type Node } from './nodeIndex';

/** `n` with other inputs and outputs (the fused graph is new nodes: the builder's own stay as they were). */
const copy = (n: Node, input: string[], output: string[]) => onnxProto.onnx.NodeProto.create({ opType: n.opType, domain: n.domain, name: n.name, input, output, attribute: n.attribute });

/**
 * The nodes with each noted bias Add (`biasAdds`: the Add's output → the bias vector's value name)
 * folded into the convolution it follows, where nothing else reads the convolution's output.
 */
export function fuseConvBiases(nodes: Node[], biasAdds: ReadonlyMap<string, string>, outputs: ReadonlySet<string>): Node[] {
  const { producer, readOnlyBy } = indexNodes(nodes, outputs);
  const removed = new Set<Node>();
  const replacement = new Map<Node, Node[]>();
  for (const add of nodes) {
    const bias = add.opType === 'Add' ? biasAdds.get(add.output[0]) : undefined;
    if (bias === undefined) continue;
    for (const [side, value] of add.input.entries()) {
      // The convolution: a plain Conv, or an NCHWc Conv and the reorder of its output (both of onnxruntime's NCHWc domain).
      const last = producer.get(value);
      const reorder = last?.opType === 'ReorderOutput' ? last : undefined;
      const conv = reorder ? producer.get(reorder.input[0]) : last;
      if (!conv || conv.opType !== 'Conv' || conv.domain !== (reorder?.domain ?? '') || conv.input.length !== 2) continue;
      if (!readOnlyBy(value, add) || (reorder && !readOnlyBy(conv.output[0], reorder))) continue;
      // The bias's broadcast to the activation's rank (Reshapes and Transposes read only here) goes too.
      for (let reader = add, v = add.input[1 - side], p = producer.get(v); p && v !== bias && (p.opType === 'Reshape' || p.opType === 'Transpose') && readOnlyBy(v, reader); reader = p, v = p.input[0], p = producer.get(v)) removed.add(p);
      const biased = copy(conv, [...conv.input, bias], reorder ? conv.output : add.output);
      // At the Add's place, where the bias vector is known to exist.
      removed.add(conv);
      if (reorder) removed.add(reorder);
      replacement.set(add, reorder ? [biased, copy(reorder, reorder.input, add.output)] : [biased]);
      break;
    }
  }
  return nodes.flatMap((n) => replacement.get(n) ?? (removed.has(n) ? [] : [n]));
}
