/**
 * A short real training run on toy2d through the pipeline the CLI and the worker use: the ε-net
 * trained with condition dropout, sampled with classifier-free guidance at growing scales, scored by
 * a separately trained evaluator.
 */
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseSpec, type MethodParams, type MethodSetting, type ModelConfig } from '@guidance-lab/experiments';
import { initBackend } from './backend/index';
import { rescoreSamples, sampleAndScore, trainModel, type RunResult } from './pipeline';

const spec = parseSpec({
  dataset: { kind: 'toy2d', trainSize: 4000, testSize: 800 },
  schedule: { kind: 'linear', T: 200 },
  guidance: ['classifier-free'],
  scales: [0, 1, 3],
});
const eps: ModelConfig = {
  kind: 'eps', dataset: spec.dataset, schedule: spec.schedule, pUncond: 0.2, seed: 0,
  model: { ...spec.model, hidden: 64, depth: 2 },
  training: { steps: 1200, batchSize: 128, learningRate: 3e-3, emaDecay: 0.99, checkpointEvery: 600 },
};
const evaluator: ModelConfig = { kind: 'evaluator', dataset: spec.dataset, seed: 0, classifier: { ...spec.evaluator, hidden: 64, depth: 1, steps: 300, batchSize: 128, learningRate: 3e-3 } };

describe('toy2d: train, guide, sample and score', () => {
  const results = new Map<number, RunResult>();
  const checkpoints: number[] = [];
  let models: { eps: Uint8Array; classifier: null; evaluator: Uint8Array };
  const point = (scale: number) => ({ method: 'classifier-free' as const, methodParams: {}, pUncond: 0.2, scale, seed: 0, sampler: { kind: 'ddim' as const, steps: 20, eta: 0 }, samplesPerClass: 100 });

  beforeAll(async () => {
    await initBackend('wasm');
    const epsNet = await trainModel(eps, { onCheckpoint: async (_bytes, step) => void checkpoints.push(step) });
    const evalNet = await trainModel(evaluator);
    models = { eps: epsNet.checkpoint, classifier: null, evaluator: evalNet.checkpoint };
    for (const scale of spec.scales) results.set(scale, await sampleAndScore(point(scale), spec, models));
  });

  it('samples and scores on onnxruntime, as tfjs does to float32 rounding', async () => {
    expect(results.get(3)!.backend).toBe('wasm+onnxruntime');
    process.env.GUIDANCE_INFERENCE = 'tfjs';
    try {
      const onTfjs = await sampleAndScore(point(3), spec, models);
      expect(onTfjs.backend).toBe('wasm');
      for (const [name, value] of Object.entries(onTfjs.metrics)) {
        expect(results.get(3)!.metrics[name as keyof RunResult['metrics']], name).toBeCloseTo(value, 3);
      }
    } finally {
      delete process.env.GUIDANCE_INFERENCE;
    }
  });

  it('reduces the guidance methods to CFG or the conditional model on the trained net, as the closed forms say', async () => {
    const run = (method: MethodSetting['method'], methodParams: MethodParams, scale: number, guide?: Uint8Array) =>
      sampleAndScore({ ...point(scale), method, methodParams }, spec, { ...models, guide }).then((r) => r.metrics);
    const cfg = results.get(3)!.metrics;
    const conditional = await run('none', {}, 0);
    const same = (a: RunResult['metrics'], b: RunResult['metrics']) => Object.entries(a).forEach(([k, v]) => expect(b[k as keyof typeof b], k).toBeCloseTo(v, 4));
    same(await run('autoguidance', { interval: null, schedule: 'constant' }, 3, models.eps), conditional);
    same(await run('apg', { eta: 1, normThreshold: 0, momentum: 0 }, 3), cfg);
    same(await run('classifier-free', { interval: [0, 1e4], rescale: 0, schedule: 'constant' }, 3), cfg);
    same(await run('classifier-free', { interval: [50, 60], rescale: 0, schedule: 'constant' }, 3), conditional);
    same(await run('icg', {}, 1), conditional);
    same(await run('cfg-zero-star', { zeroInitSteps: 0 }, 1), conditional);
  });

  it('runs every method on onnxruntime as on tfjs', async () => {
    const settings: [MethodSetting['method'], MethodParams, number][] = [
      ['cfg-pp', {}, 0.6],
      ['apg', { eta: 0, normThreshold: 2.5, momentum: -0.75 }, 3],
      ['cfg-zero-star', { zeroInitSteps: 0 }, 3],
      ['icg', {}, 3],
      // (Rescale is left out: on 2-D data std over a sample's two values nears 0, and the ratio
      // amplifies float32 rounding between the engines.)
      ['classifier-free', { interval: [0.28, 1.61], rescale: 0, schedule: 'cosine' }, 3],
      ['autoguidance', { interval: null, schedule: 'linear' }, 2],
    ];
    for (const [method, methodParams, scale] of settings) {
      const p = { ...point(scale), method, methodParams };
      const withGuide = { ...models, guide: models.eps };
      const onOrt = await sampleAndScore(p, spec, withGuide);
      expect(onOrt.backend).toBe('wasm+onnxruntime');
      process.env.GUIDANCE_INFERENCE = 'tfjs';
      try {
        const onTfjs = await sampleAndScore(p, spec, withGuide);
        for (const [name, value] of Object.entries(onTfjs.metrics)) expect(onOrt.metrics[name as keyof RunResult['metrics']], `${method} ${name}`).toBeCloseTo(value, 3);
      } finally {
        delete process.env.GUIDANCE_INFERENCE;
      }
    }
  });

  it('names GUIDANCE_INFERENCE and its allowed values when it is wrong', async () => {
    process.env.GUIDANCE_INFERENCE = 'gpu';
    try {
      await expect(sampleAndScore(point(1), spec, models)).rejects.toThrow("GUIDANCE_INFERENCE must be one of auto, onnxruntime, tfjs; got 'gpu'");
    } finally {
      delete process.env.GUIDANCE_INFERENCE;
    }
  });

  it('returns every sample it scored, and re-scoring them with the same evaluator gives the same numbers exactly', async () => {
    const r = results.get(3)!;
    expect(r.samples.shape).toEqual([2]);
    expect(r.samples.x).toBeInstanceOf(Float32Array);
    expect(r.samples.x.length).toBe(2 * 400);
    expect([...r.samples.y]).toEqual(Array.from({ length: 400 }, (_, i) => Math.floor(i / 100)));
    expect(r.samples.seed).toBe(0);
    const again = await rescoreSamples(r.samples, spec.dataset, models.evaluator);
    expect(again.metrics).toEqual(r.metrics);
    expect(again.predictions).toEqual(r.predictions);
    expect([again.evaluatorHash, again.referenceSet, again.n]).toEqual([r.evaluatorHash, r.referenceSet, r.n]);
  });

  it("records the evaluator's predicted class and its softmax probability per sample, agreeing with adherence", () => {
    const r = results.get(3)!;
    const { predicted, confidence } = r.predictions;
    expect(predicted.length).toBe(400);
    for (const c of confidence) expect(c >= 0.25 - 1e-6 && c <= 1 + 1e-6).toBe(true); // the top of 4 probabilities
    const agree = predicted.filter((p, i) => p === r.samples.y[i]).length / 400;
    expect(agree).toBeCloseTo(r.metrics.adherence, 10);
  });

  it('checkpoints as it trains', () => {
    expect(checkpoints).toEqual([600, 1200]);
  });

  it('raises adherence with the guidance scale and pays for it in recall', () => {
    const adherence = spec.scales.map((s) => results.get(s)!.metrics.adherence);
    expect(adherence[0]).toBeLessThan(0.45); // s = 0 samples the unconditional branch: near chance (1/4)
    expect(adherence[1]).toBeGreaterThan(adherence[0] + 0.2);
    expect(adherence[2]).toBeGreaterThan(adherence[1]);
    expect(results.get(3)!.metrics.recall).toBeLessThan(results.get(1)!.metrics.recall);
  });

  it('records N, the evaluator and the reference set with every score, and draws one row per class', () => {
    const r = results.get(1)!;
    expect(r.n).toBe(400);
    expect(r.evaluatorHash).toMatch(/^[0-9a-f]{64}$/);
    // The reference is one half of the 800 held-out points (⌈count/2⌉ per class); the floor draws from the other.
    expect(r.referenceSet).toMatch(/^toy2d.*:test-half:40[0-2]$/);
    for (const value of Object.values(r.metrics)) expect(Number.isFinite(value)).toBe(true);
    const png = PNG.sync.read(Buffer.from(r.grid.png));
    expect(r.grid.rows).toBe(4);
    expect(png.height).toBe(r.grid.rows * (r.grid.cellSize + 1) + 1);
  });

  it('scores held-out real data as the floor: better than any guided run, density near 1, and the same at every scale', () => {
    const { evaluation } = results.get(1)!;
    expect(results.get(3)!.evaluation).toEqual(evaluation);
    // toy2d's classes overlap: the Bayes classifier itself stays well below 1 (~0.85), and the evaluator near it.
    expect(evaluation.attainable).toBeGreaterThan(0.75);
    expect(evaluation.attainable).toBeLessThan(0.95);
    expect(evaluation.accuracy).toBeLessThanOrEqual(evaluation.attainable + 0.05);
    expect(evaluation.reliable).toBe(evaluation.accuracy >= 0.98 * evaluation.attainable);
    // About 100 pool points per class: the floor takes the same number from each, up to the runs' 100.
    expect(evaluation.floorN % 4).toBe(0);
    expect(evaluation.floorN).toBeGreaterThan(300);
    expect(evaluation.floorN).toBeLessThanOrEqual(400);
    const { floor } = evaluation;
    for (const scale of spec.scales) expect(floor.fid).toBeLessThan(results.get(scale)!.metrics.fid);
    expect(floor.density).toBeGreaterThan(0.7);
    expect(floor.density).toBeLessThan(1.3);
    expect(floor.coverage).toBeGreaterThan(results.get(3)!.metrics.coverage);
    // Real data adheres to its labels about as often as the evaluator is right.
    expect(Math.abs(floor.adherence - evaluation.accuracy)).toBeLessThan(0.1);
  });
});
