import { expandSweep, listPresets, parseSpec } from '@guidance-lab/experiments';
import { describe, expect, it } from 'vitest';
import { classifierConfig, epsNetConfig } from '../engine/networks/index';
import { benchCases } from './cases';

/** Every network a preset trains at a size, as the bench keys it: architecture and batch. */
function trainedBy(size: 'full' | 'quick'): Set<string> {
  const keys = new Set<string>();
  for (const preset of listPresets().filter((p) => p.size === size)) {
    const spec = parseSpec(preset.spec);
    const data = spec.dataset.kind === 'toy2d' ? { shape: [2], classes: spec.dataset.classes } : { shape: [28, 28, 1], classes: 10 };
    for (const { config: c } of expandSweep(spec).models) {
      const net = c.kind === 'eps' ? epsNetConfig(c.model!, data) : classifierConfig(c.classifier!, data, c.kind === 'noisy-classifier');
      keys.add(JSON.stringify({ net, batch: c.kind === 'eps' ? c.training!.batchSize : c.classifier!.batchSize }));
    }
  }
  return keys;
}

const trainKeys = (quick: boolean) => new Set(benchCases(quick).filter((c) => c.task === 'train').map((c) => JSON.stringify({ net: c.net, batch: c.batch })));

describe('bench cases', () => {
  it('time a training step of every network some preset trains: ε-nets, guides, noise-aware classifiers, evaluators', () => {
    const full = trainKeys(false);
    for (const key of [...trainedBy('full'), ...trainedBy('quick')]) expect(full, key).toContain(key);
    const quick = trainKeys(true);
    for (const key of trainedBy('quick')) expect(quick, key).toContain(key);
    // The guides and evaluators are among them (the sets above would hold without them only if no preset trained one).
    const ids = benchCases(false).map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining(['mnist/evaluator/train', 'mnist-guidance-zoo/guide-unet-eps/train', 'toy2d-autoguidance/guide-mlp-eps/train']));
  });

  it('gives every case its own id, and trains each network with its own settings', () => {
    for (const quick of [false, true]) {
      const cases = benchCases(quick);
      expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
      for (const c of cases.filter((k) => k.task === 'train')) {
        // The training loop reads the spec's model (ε-nets) or classifier (classifiers): it must build the case's own network.
        const data = { shape: c.net.inputShape, classes: c.net.classes };
        const built = c.net.kind === 'classifier' ? classifierConfig(c.spec.classifier, data, c.net.timeConditioned) : epsNetConfig(c.spec.model, data);
        expect(built, c.id).toEqual(c.net);
      }
    }
  });
});
