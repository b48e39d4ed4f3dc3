/**
 * A sweep deleted while its run is being sampled and scored: the job's final write finds the run
 * gone (a foreign-key failure) before its cancellation poll noticed, and must end quietly, not
 * log a failure and retry.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launch, startStack, startWorkerChild, tinySpec, waitFor, waitForEmptyQueue, type Stack, type WorkerChild } from './stack';

let stack: Stack;
let worker: WorkerChild;
beforeAll(async () => {
  stack = await startStack();
  // A poll slower than the run: only the job's own writes can find out about the deletion.
  worker = startWorkerChild(stack, { GUIDANCE_CANCEL_POLL_MS: '60000' });
  await worker.id();
});
afterAll(async () => {
  await worker?.stop();
  await stack?.stop();
});

test('deleting a sweep during sampling/scoring ends its job quietly: no failure, no retry', async () => {
  const id = await launch(stack, tinySpec({ name: 'deleted while scoring', guidance: ['none'], scales: [1], samplesPerClass: 3000, sampler: { kind: 'ddim', steps: 50, eta: 0 } }));
  const run = await waitFor('the run to be sampled', async () => {
    const row = await stack.prisma.run.findFirst({ where: { sweepId: id, phase: { in: ['sampling', 'scoring'] } }, select: { id: true } });
    return row;
  });
  await stack.gql('mutation($id: ID!) { deleteSweep(id: $id) }', { id });

  await waitFor('the job to end', async () => worker.output().includes(`run:${run.id}: cancelled`));
  expect(worker.output()).not.toMatch(new RegExp(`run:${run.id}: attempt \\d+ failed`));
  await waitForEmptyQueue(stack);
});
