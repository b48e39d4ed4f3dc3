import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { engineThreads } from './threads';

describe('engineThreads', () => {
  afterEach(() => {
    delete process.env.GUIDANCE_THREADS;
  });

  it('defaults to every core and follows GUIDANCE_THREADS', () => {
    expect(engineThreads()).toBe(os.availableParallelism());
    process.env.GUIDANCE_THREADS = '1';
    expect(engineThreads()).toBe(1);
  });

  it('names the variable and the allowed range for a bad value', () => {
    process.env.GUIDANCE_THREADS = '0.5';
    expect(() => engineThreads()).toThrow("GUIDANCE_THREADS must be a whole number from 1 to 256, got '0.5'");
  });
});
