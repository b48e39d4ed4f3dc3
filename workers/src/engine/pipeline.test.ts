/**
 * A short real training run on toy2d through the pipeline the CLI and the worker use: the ε-net
 * trained with condition dropout, sampled with classifier-free guidance at growing scales, scored by
 * a separately trained evaluator.
 */
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseSpec, type ModelConfig } from '@guidance-lab/experiments';
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
  const point = (scale: number) => ({ guidance: 'classifier-free' as const, pUncond: 0.2, scale, seed: 0, sampler: { kind: 'ddim' as const, steps: 20, eta: 0 }, samplesPerClass: 100 });

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
    expect(r.referenceSet).toMatch(/^toy2d.*:test:800$/);
    for (const value of Object.values(r.metrics)) expect(Number.isFinite(value)).toBe(true);
    const png = PNG.sync.read(Buffer.from(r.grid.png));
    expect(r.grid.rows).toBe(4);
    expect(png.height).toBe(r.grid.rows * (r.grid.cellSize + 1) + 1);
  });
});
