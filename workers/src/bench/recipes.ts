/** The MNIST ε-net recipes that workers/src/bench/recipe.ts compares (p_uncond 0.1, cosine T = 1000). */
import type { SweepSpec } from '@guidance-lab/experiments';

export interface Recipe {
  id: string;
  model: SweepSpec['model'];
  training: SweepSpec['training'];
  /** Also compare sampler variants (first step, clipping) and 100 DDIM steps. */
  ddim100?: boolean;
}

const quickTraining = { steps: 4000, batchSize: 32, learningRate: 2e-3, emaDecay: 0.999, checkpointEvery: 500 };
/** 2000 × 64 with warm-up and cosine decay, the base of the later recipes. */
const cosine2k = { ...quickTraining, steps: 2000, batchSize: 64, warmupSteps: 100, lrDecay: 'cosine' as const };
/** The chosen floor (λ = 3, weights ≤ 30) on top of min-SNR-5. */
const floored = { ...cosine2k, minSnrGamma: 5, snrFloor: 3, maxLossWeight: 30 };
/** The 16/32 U-Net on 2×2 patches. */
const patched = { hidden: 128, depth: 3, channels: [16, 32], blocksPerLevel: 1, patch: 2 as const };

export const recipes: Recipe[] = [
  // The quick presets before this study.
  { id: 'q8-16', model: { hidden: 128, depth: 3, channels: [8, 16], blocksPerLevel: 1 }, training: quickTraining, ddim100: true },
  { id: 'c16-32-32-b64-2k-cos', model: { hidden: 128, depth: 3, channels: [16, 32, 32], blocksPerLevel: 1 }, training: cosine2k },
  { id: 'c8-16-32-b32-4k-cos', model: { hidden: 128, depth: 3, channels: [8, 16, 32], blocksPerLevel: 1 }, training: { ...quickTraining, warmupSteps: 100, lrDecay: 'cosine' } },
  // Patches (model.patch 2): the levels run at 14 and 7 px, so the same CPU buys 4× the channel pairs.
  { id: 'p2-16-32-b64-2k', model: patched, training: cosine2k },
  { id: 'p2-16-32-b64-2k-msnr5', model: patched, training: { ...cosine2k, minSnrGamma: 5 } },
  // The same recipe at twice the CPU: what a longer run buys (the quality-per-CPU curve's next point).
  { id: 'p2-16-32-b64-4k-msnr5', model: patched, training: { ...cosine2k, steps: 4000, minSnrGamma: 5 } },
  // Stronger min-SNR (γ = 2, 1) and a higher rate: does the class, decided at high noise, come sooner?
  { id: 'p2-16-32-b64-2k-msnr2', model: patched, training: { ...cosine2k, minSnrGamma: 2 } },
  { id: 'p2-16-32-b64-2k-msnr1', model: patched, training: { ...cosine2k, minSnrGamma: 1 } },
  { id: 'p2-16-32-b64-2k-msnr5-lr4', model: patched, training: { ...cosine2k, learningRate: 4e-3, minSnrGamma: 5 } },
  // The truncated-SNR floor λ on top of min-SNR-5 (high-noise steps weigh λ/SNR_t, at most w): λ and w.
  { id: 'p2-16-32-b64-2k-msnr5-tsnr0.25-w10', model: patched, training: { ...cosine2k, minSnrGamma: 5, snrFloor: 0.25, maxLossWeight: 10 } },
  { id: 'p2-16-32-b64-2k-msnr5-tsnr1-w30', model: patched, training: { ...cosine2k, minSnrGamma: 5, snrFloor: 1, maxLossWeight: 30 } },
  { id: 'p2-16-32-b64-2k-msnr5-tsnr1-w300', model: patched, training: { ...cosine2k, minSnrGamma: 5, snrFloor: 1, maxLossWeight: 300 } },
  { id: 'p2-16-32-b64-2k-msnr5-tsnr3-w10', model: patched, training: { ...cosine2k, minSnrGamma: 5, snrFloor: 3, maxLossWeight: 10 } },
  { id: 'p2-16-32-b64-2k-msnr5-tsnr3-w30', model: patched, training: floored },
  { id: 'p2-16-32-b64-2k-msnr5-tsnr3-w100', model: patched, training: { ...cosine2k, minSnrGamma: 5, snrFloor: 3, maxLossWeight: 100 } },
  // The chosen floor (λ = 3, w = 30) with a third level, and with twice the steps at half the batch.
  { id: 'p2-16-32-32-b64-2k-msnr5-tsnr3-w30', model: { ...patched, channels: [16, 32, 32] }, training: floored },
  { id: 'p2-16-32-b32-4k-msnr5-tsnr3-w30', model: patched, training: { ...floored, steps: 4000, batchSize: 32 } },
  // A learned class map after the input convolution (model.classMap), on the three networks above; the
  // second is the quick presets' recipe.
  { id: 'p2-16-32-map-b64-2k-msnr5-tsnr3-w30', model: { ...patched, classMap: true }, training: floored },
  { id: 'p2-16-32-map-b32-4k-msnr5-tsnr3-w30', model: { ...patched, classMap: true }, training: { ...floored, steps: 4000, batchSize: 32 } },
  { id: 'p2-16-32-32-map-b64-2k-msnr5-tsnr3-w30', model: { ...patched, channels: [16, 32, 32], classMap: true }, training: floored },
  // Min-SNR-5 on the unpatched quick recipe of the previous session: which of the two levers does the work.
  { id: 'c8-16-32-b32-4k-cos-msnr5', model: { hidden: 128, depth: 3, channels: [8, 16, 32], blocksPerLevel: 1 }, training: { ...quickTraining, warmupSteps: 100, lrDecay: 'cosine', minSnrGamma: 5 } },
];
