import { describe, expect, it } from 'vitest';
import { renderTable, type BenchRow } from './table';

const base: BenchRow = {
  engine: 'onnxruntime',
  caseId: 'mnist/unet-eps/train',
  network: 'U-Net 32/64/64 (mnist)',
  task: 'train',
  batch: 64,
  ms: 500,
  msRange: [480, 560],
  rounds: 3,
  imagesPerSec: 128,
  gflops: 40.5,
  peakShare: 0.2104,
  vsTorch: 0.9,
  vsTorchRange: [0.85, 1.02],
};

describe('bench table', () => {
  const table = renderTable([
    base,
    { ...base, engine: 'pytorch', ms: 450, msRange: [440, 900], imagesPerSec: 142.2, vsTorch: null, vsTorchRange: null, note: 'best of its configurations: channels-last' },
    { ...base, engine: 'tfjs-cpu', ms: null, msRange: null, rounds: 0, imagesPerSec: null, gflops: null, peakShare: null, vsTorch: null, vsTorchRange: null, note: 'skipped: minutes/step' },
  ]);
  const lines = table.split('\n');

  it('gives each row its median, the rounds’ range, the share of peak and the ratio with its range', () => {
    expect(lines[2]).toMatch(/onnxruntime\s+500\.0 \(480\.0–560\.0\)\s+128\.0\s+40\.50\s+21\.0%\s+0\.90 \(0\.85–1\.02\)$/);
  });

  it('shows PyTorch as the unit, a skipped row by its reason, and notes of rows that ran', () => {
    expect(lines[3]).toMatch(/pytorch\s+450\.0 \(440\.0–900\.0\)\s+142\.2 .* 1$/);
    expect(lines[4]).toMatch(/tfjs-cpu\s+skipped: minutes\/step\s+—\s+—\s+—\s+—$/);
    expect(table).toContain('notes:\n  pytorch mnist/unet-eps/train: best of its configurations: channels-last');
    expect(table).not.toContain('tfjs-cpu mnist/unet-eps/train:');
  });

  it('aligns every line to the same columns', () => {
    const widths = new Set(lines.slice(0, 5).map((l) => l.length));
    expect(widths.size).toBe(1);
  });
});
