/**
 * Conv2D gradient kernels for the wasm backend, built from its own fast Conv2D:
 * - Conv2DBackpropFilter (missing in tfjs-backend-wasm): dW[a,b,i,o] = Σ_{n,p,q} x[n, p·s+a−pt, q·s+b−pl, i]·dy[n,p,q,o]
 *   is a convolution of xᵀ ([i,H,W,n], batch↔channels swapped) with dyᵀ ([p,q,n,o]) dilated by the stride.
 * - Conv2DBackpropInput (wasm's own is ~10× slower): dx is a stride-1 convolution of the zero-dilated dy
 *   with the 180°-rotated filter whose in/out channels are swapped.
 * Only NHWC and dilation 1 (what the networks use) are supported; other attributes raise an error.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';

type Backend = tf.KernelBackend;
interface KernelArgs {
  inputs: NamedTensorInfoMap;
  backend: Backend;
  attrs: NamedAttrMap;
}
type Pads = [[number, number], [number, number], [number, number], [number, number]];

/** Calls one of the wasm backend's own kernels. */
function run(backend: Backend, name: string, inputs: Record<string, TensorInfo>, attrs: NamedAttrMap = {}): TensorInfo {
  const kernel = tf.getKernel(name, 'wasm');
  if (!kernel) throw new Error(`wasm backend has no ${name} kernel`);
  return kernel.kernelFunc({ inputs, backend, attrs }) as TensorInfo;
}

/** Runs `steps` in order, each consuming the previous result, freeing every intermediate. */
function chain(backend: Backend, first: TensorInfo, steps: ((t: TensorInfo) => TensorInfo)[]): TensorInfo {
  let current = first;
  for (const step of steps) {
    const next = step(current);
    if (current !== first) backend.disposeData(current.dataId);
    current = next;
  }
  return current;
}

const transpose = (b: Backend, perm: number[]) => (t: TensorInfo) => run(b, 'Transpose', { x: t }, { perm });
const reshape = (b: Backend, shape: number[]) => (t: TensorInfo) => run(b, 'Reshape', { x: t }, { shape });
const pad = (b: Backend, paddings: number[][]) => (t: TensorInfo) => run(b, 'PadV2', { x: t }, { paddings, constantValue: 0 });
const slice = (b: Backend, begin: number[], size: number[]) => (t: TensorInfo) => run(b, 'Slice', { x: t }, { begin, size });
const conv = (b: Backend, filter: TensorInfo, pads: Pads, dilations: [number, number]) => (t: TensorInfo) =>
  run(b, 'Conv2D', { x: t, filter }, { strides: [1, 1], pad: pads, dataFormat: 'NHWC', dilations });

function convInfoOf(xShape: number[], filterShape: number[], attrs: NamedAttrMap) {
  const { strides, pad: padding, dataFormat, dimRoundingMode, dilations } = attrs as unknown as tf.Conv2DAttrs & { dilations?: number | [number, number] };
  if (dataFormat !== undefined && dataFormat !== 'NHWC') throw new Error(`wasm conv gradient: dataFormat must be NHWC, got ${dataFormat}`);
  const d = dilations ?? 1;
  if (d !== 1 && !(Array.isArray(d) && d[0] === 1 && d[1] === 1)) throw new Error(`wasm conv gradient: dilations must be 1, got ${String(d)}`);
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    1,
    padding,
    dimRoundingMode,
  );
}

/** Padding after the data so a stride-1 conv output has exactly `want` rows; negative → crop instead. */
const tailPad = (want: number, size: number, before: number, kernelExtent: number) => want + kernelExtent - 1 - size - before;

function backpropFilter({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { filterShape } = attrs as unknown as { filterShape: [number, number, number, number] };
  const info = convInfoOf(x.shape, filterShape, attrs);
  const [fh, fw, inC] = filterShape;
  const [n, H, W] = x.shape;
  const { top, left } = info.padInfo;
  const [sh, sw] = [info.strideHeight, info.strideWidth];
  const [oh, ow] = [info.outHeight, info.outWidth];
  // Kernel extent of dyᵀ dilated by the stride; crop x where the data extends past the last tap.
  const bottom = tailPad(fh, H, top, (oh - 1) * sh + 1);
  const right = tailPad(fw, W, left, (ow - 1) * sw + 1);
  const dyT = run(backend, 'Transpose', { x: dy }, { perm: [1, 2, 0, 3] }); // [oh, ow, n, outC]
  const crop = bottom < 0 || right < 0 ? [slice(backend, [0, 0, 0, 0], [n, H + Math.min(0, bottom), W + Math.min(0, right), inC])] : [];
  const xT = chain(backend, x, [...crop, transpose(backend, [3, 1, 2, 0])]); // [inC, H, W, n]
  const pads: Pads = [[0, 0], [top, Math.max(0, bottom)], [left, Math.max(0, right)], [0, 0]];
  const out = chain(backend, xT, [conv(backend, dyT, pads, [sh, sw]), transpose(backend, [1, 2, 0, 3])]);
  backend.disposeData(xT.dataId);
  backend.disposeData(dyT.dataId);
  return out;
}

function backpropInput({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const { inputShape } = attrs as unknown as { inputShape: [number, number, number, number] };
  const info = convInfoOf(inputShape, filter.shape, attrs);
  const [fh, fw, , outC] = filter.shape;
  const [n, H, W] = inputShape;
  const [sh, sw] = [info.strideHeight, info.strideWidth];
  const [oh, ow] = [info.outHeight, info.outWidth];
  // Zero-dilate dy: each row (then column) is followed by stride−1 zero rows; the trailing ones are cropped.
  const [dh, dw] = [(oh - 1) * sh + 1, (ow - 1) * sw + 1];
  const dilated =
    sh === 1 && sw === 1
      ? dy
      : chain(backend, dy, [
          reshape(backend, [n * oh, 1, ow * outC]),
          pad(backend, [[0, 0], [0, sh - 1], [0, 0]]),
          reshape(backend, [n * oh * sh * ow, 1, outC]),
          pad(backend, [[0, 0], [0, sw - 1], [0, 0]]),
          reshape(backend, [n, oh * sh, ow * sw, outC]),
          slice(backend, [0, 0, 0, 0], [n, dh, dw, outC]),
        ]);
  const rotated = chain(backend, filter, [
    (t) => run(backend, 'Reverse', { x: t }, { dims: [0, 1] }),
    transpose(backend, [0, 1, 3, 2]), // [fh, fw, outC, inC]
  ]);
  const top = fh - 1 - info.padInfo.top;
  const left = fw - 1 - info.padInfo.left;
  const bottom = tailPad(H, dh, top, fh);
  const right = tailPad(W, dw, left, fw);
  if (top < 0 || left < 0 || bottom < 0 || right < 0) {
    throw new Error(`wasm Conv2DBackpropInput: padding ${JSON.stringify(info.padInfo)} larger than the filter is not supported`);
  }
  const out = conv(backend, rotated, [[0, 0], [top, bottom], [left, right], [0, 0]], [1, 1])(dilated);
  if (dilated !== dy) backend.disposeData(dilated.dataId);
  backend.disposeData(rotated.dataId);
  return out;
}

let registered = false;

/** Registers both kernels for 'wasm' (replacing wasm's slow Conv2DBackpropInput); idempotent. */
export function registerWasmConvGradients(): void {
  if (registered) return;
  const configs: KernelConfig[] = [
    { kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: backpropFilter as unknown as KernelFunc },
    { kernelName: 'Conv2DBackpropInput', backendName: 'wasm', kernelFunc: backpropInput as unknown as KernelFunc },
  ];
  for (const config of configs) {
    if (tf.getKernel(config.kernelName, 'wasm')) tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel(config);
  }
  registered = true;
}
