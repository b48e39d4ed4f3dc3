import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import ortm from 'onnxruntime-node';
import { initParams, epsNetConfig } from '../engine/networks/index';
import { exportEpsNet } from '../engine/onnx/export';
await tf.setBackend('wasm');
const cfg = epsNetConfig({ hidden: 128, depth: 3, channels: [32, 64, 64], blocksPerLevel: 1 }, { shape: [28, 28, 1], classes: 10 });
const p = initParams(cfg, 0);
const B = 64;
const s = await ortm.InferenceSession.create(exportEpsNet(cfg, p, B), { intraOpNumThreads: 2, graphOptimizationLevel: 'all', enableProfiling: true, profileFilePrefix: '/tmp/ortprof' });
const feeds = { x: new ortm.Tensor('float32', new Float32Array(B * 784), [B, 28, 28, 1]), t: new ortm.Tensor('int32', new Int32Array(B), [B]), y: new ortm.Tensor('int32', new Int32Array(B), [B]) };
for (let i = 0; i < 3; i++) { const t0 = performance.now(); await s.run(feeds); console.log((performance.now() - t0).toFixed(0), 'ms'); }
(s as any).endProfiling?.();
await s.release();
