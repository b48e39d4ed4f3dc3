/**
 * One engine process of the sweep CLI's pool (pool.ts): readies the compute backend, then runs the
 * jobs its parent sends, one at a time, reporting progress and the result over IPC.
 */
import { initBackend, type BackendPreference } from '../engine/backend/index';
import { sampleJob, trainJob, type JobRequest } from './jobs';
import type { ChildMessage, ParentMessage } from './pool';

const send = (message: ChildMessage) => process.send!(message);

const ready = initBackend((process.env.GUIDANCE_BACKEND ?? 'auto') as BackendPreference);
ready.then(
  (backend) => send({ type: 'ready', backend }),
  (error: unknown) => send({ type: 'failed', error: String(error instanceof Error ? error.message : error) }),
);

process.on('message', async ({ id, request }: ParentMessage) => {
  const onProgress = (progress: Parameters<Parameters<typeof trainJob>[1]>[0]) => send({ type: 'progress', id, progress });
  try {
    await ready;
    const result = request.kind === 'train' ? await trainJob(request, onProgress) : await sampleJob(request, onProgress);
    send({ type: 'done', id, result });
  } catch (error) {
    send({ type: 'error', id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});

// The parent going away ends the child too.
process.on('disconnect', () => process.exit(0));
