import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { activeBackend, initBackend } from './index';

const hasNative = ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'].some((pkg) => {
  try {
    createRequire(import.meta.url).resolve(pkg);
    return true;
  } catch {
    return false;
  }
});

describe('initBackend', () => {
  afterEach(() => {
    delete process.env.GUIDANCE_BACKEND;
  });

  it('selects the requested backend and is idempotent', async () => {
    expect(await initBackend('cpu')).toBe('cpu');
    expect(await initBackend('cpu')).toBe('cpu');
    expect([tf.getBackend(), activeBackend()]).toEqual(['cpu', 'cpu']);
  });

  it('lets GUIDANCE_BACKEND override the preference', async () => {
    process.env.GUIDANCE_BACKEND = 'wasm';
    expect(await initBackend('cpu')).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  it('names the allowed values for a bad GUIDANCE_BACKEND', async () => {
    process.env.GUIDANCE_BACKEND = 'gpu';
    await expect(initBackend()).rejects.toThrow("GUIDANCE_BACKEND must be one of auto, tensorflow, wasm, cpu; got 'gpu'");
  });

  it.skipIf(hasNative)('falls back past the missing native packages to wasm under auto', async () => {
    await expect(initBackend('tensorflow')).rejects.toThrow(/'tensorflow' is not available/);
    expect(await initBackend('auto')).toBe('wasm');
  });
});
