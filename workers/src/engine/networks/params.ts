/**
 * Parameters as an ordered list of named tensors. A network declares each parameter where it uses it
 * (`source.get(name, shape, init)`): one forward pass with an `initSource` creates them in order, later
 * passes read them from a `Params` map, so the declaration and the use can never drift apart.
 */
import * as tf from '@tensorflow/tfjs-core';
import { hashSeed } from '../random';

/** Named parameter tensors in declaration order (a Map keeps insertion order). */
export type Params = Map<string, tf.Tensor>;

/** How a fresh parameter is drawn: He-normal with the given fan-in, or a constant. */
export type Init = { kind: 'normal'; fanIn: number; gain?: number } | { kind: 'zeros' } | { kind: 'ones' };

export interface ParamSource {
  get(name: string, shape: number[], init: Init): tf.Tensor;
}

/** Reads parameters from a map, checking that each exists with the declared shape. */
export function fromParams(params: Params): ParamSource {
  return {
    get(name, shape) {
      const t = params.get(name);
      if (!t) throw new Error(`parameter '${name}' is missing (the weights do not match this network config)`);
      if (!tf.util.arraysEqual(t.shape, shape)) {
        throw new Error(`parameter '${name}' has shape [${t.shape}], the network expects [${shape}]`);
      }
      return t;
    },
  };
}

/** Creates parameters on first use, seeded by (seed, declaration index); the tensors outlive tidy. */
export function initSource(seed: number): { source: ParamSource; params: Params } {
  const params: Params = new Map();
  const source: ParamSource = {
    get(name, shape, init) {
      const existing = params.get(name);
      if (existing) return fromParams(params).get(name, shape, init);
      const made =
        init.kind === 'zeros'
          ? tf.zeros(shape)
          : init.kind === 'ones'
            ? tf.ones(shape)
            : // He et al. 2015: std = gain·√(2 / fan_in) keeps activations' scale through SiLU/ReLU layers.
              tf.randomNormal(shape, 0, (init.gain ?? 1) * Math.sqrt(2 / init.fanIn), 'float32', hashSeed(seed, params.size));
      params.set(name, tf.keep(made));
      return made;
    },
  };
  return { source, params };
}

export function disposeParams(params: Params): void {
  for (const t of params.values()) t.dispose();
}

export function cloneParams(params: Params): Params {
  return new Map([...params].map(([name, t]) => [name, tf.keep(t.clone())]));
}

export function countParams(params: Params): number {
  let n = 0;
  for (const t of params.values()) n += t.size;
  return n;
}
