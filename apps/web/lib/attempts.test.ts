import { describe, expect, it } from 'vitest';
import { retryText } from './attempts';

describe('retryText', () => {
  it('counts from the queue job: the failed attempt, of how many, and what is left', () => {
    expect(retryText({ status: 'queued', attempts: 2, job: { attempts: 2, maxAttempts: 3 } })).toBe('attempt 2 of 3 failed; 1 attempt left, waiting to be retried');
    // Running again: the queue has already counted the attempt under way.
    expect(retryText({ status: 'running', attempts: 3, job: { attempts: 3, maxAttempts: 3 } })).toBe('attempt 2 of 3 failed; 1 attempt left, retrying now');
    // After Retry failed the job is fresh while the row keeps counting.
    expect(retryText({ status: 'queued', attempts: 4, job: { attempts: 1, maxAttempts: 3 } })).toBe('attempt 1 of 3 failed; 2 attempts left, waiting to be retried');
  });

  it('falls back to the row count when the queue holds no job', () => {
    expect(retryText({ status: 'queued', attempts: 2, job: null })).toBe('attempt 2 failed; waiting to be retried');
  });
});
