import { expect, test } from 'vitest';
import { expandSweep, parseSpec, type ModelConfig } from '@guidance-lab/experiments';
import { initBackend } from '../../workers/src/engine/backend/index';
import { trainModel } from '../../workers/src/engine/pipeline';
import { tinySpec } from './stack';
test('resume exact', async () => {
  await initBackend();
  const spec = parseSpec(tinySpec({ dataset: { kind: 'toy2d', classes: 3, modesPerClass: 2, trainSize: 600, testSize: 300, seed: 4 }, training: { steps: 500, batchSize: 64, learningRate: 2e-3, emaDecay: 0.99, checkpointEvery: 50 }, guidance: ['none'] }));
  const config = expandSweep(spec).models.find((m) => m.config.kind === 'eps')!.config as ModelConfig;
  const cps: [number, Uint8Array][] = [];
  const full = await trainModel(config, { onCheckpoint: async (c, s) => { cps.push([s, c]); } });
  for (const [s, c] of cps.slice(0, 4)) {
    const resumed = await trainModel(config, { resume: c });
    console.log(s, resumed.weightsHash === full.weightsHash, JSON.stringify(resumed.curve) === JSON.stringify(full.curve));
  }
  const again = await trainModel(config);
  console.log('again', again.weightsHash === full.weightsHash);
});
