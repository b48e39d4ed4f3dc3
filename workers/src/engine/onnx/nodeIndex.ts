/** Who makes and who reads each value of a node list: what the graph fusions match patterns on. */
import onnxProto from 'onnx-proto';

export type Node = InstanceType<typeof onnxProto.onnx.NodeProto>;

export interface NodeIndex {
  producer: ReadonlyMap<string, Node>;
  consumers: ReadonlyMap<string, readonly Node[]>;
  /** Whether `value` is read by none but `readers` (and is not a graph output), so a fusion may drop it. */
  readOnlyBy(value: string, ...readers: Node[]): boolean;
}

export function indexNodes(nodes: readonly Node[], outputs: ReadonlySet<string>): NodeIndex {
  const producer = new Map<string, Node>();
  const consumers = new Map<string, Node[]>();
  for (const n of nodes) {
    for (const o of n.output) producer.set(o, n);
    for (const i of new Set(n.input)) {
      const readers = consumers.get(i);
      if (readers) readers.push(n);
      else consumers.set(i, [n]);
    }
  }
  return { producer, consumers, readOnlyBy: (value, ...readers) => !outputs.has(value) && (consumers.get(value) ?? []).every((n) => readers.includes(n)) };
}
