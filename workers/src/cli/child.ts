/**
 * One engine process of the sweep CLI's pool (pool.ts): readies the compute backend, then runs the
 * jobs its parent sends, one at a time, reporting progress and the result over IPC.
 */
import { initBackend } from '../engine/backend/index';
import type { Progress } from '../engine/types';
import { rescoreJob, sampleJob, trainJob } from './jobs';
import type { ChildMessage, ParentMessage } from './pool';

const send = (message: ChildMessage) => process.send!(message);

// initBackend reads GUIDANCE_BACKEND, which the pool sets to the sweep's --backend.
const ready = initBackend();
ready.then(
  (backend) => send({ type: 'ready', backend }),
  (error: unknown) => send({ type: 'failed', error: String(error instanceof Error ? error.message : error) }),
);

/** This process's CPU time so far (user + system, seconds): the parent sums its engines' for the sweep's record. */
const cpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

process.on('message', async ({ id, request }: ParentMessage) => {
  const onProgress = (progress: Progress) => send({ type: 'progress', id, progress });
  try {
    await ready;
    const result =
      request.kind === 'train' ? await trainJob(request, onProgress)
      : request.kind === 'sample' ? await sampleJob(request, onProgress)
      : await rescoreJob(request, onProgress);
    send({ type: 'done', id, result, cpuSeconds: cpuSeconds() });
  } catch (error) {
    send({ type: 'error', id, error: error instanceof Error ? (error.stack ?? error.message) : String(error), cpuSeconds: cpuSeconds() });
  }
});

// The parent going away ends the child too.
process.on('disconnect', () => process.exit(0));
