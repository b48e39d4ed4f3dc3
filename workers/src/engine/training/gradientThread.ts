/**
 * One thread of a data-parallel onnxruntime step (onnxStepEngine.ts): a session of the exported
 * loss-and-gradient graph at this thread's share of the batch, on one intra-op thread. In: the
 * inputs of one call (θ and the batch share); out: the loss and the gradient (its buffer moved).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createSession, hostTensors, loadOrt } from '../onnx/session';
import type { HostBatch } from './update';

/** What the thread posts: once ready (or its start's error), then one reply per call. */
export type ThreadMessage = { ready: true } | { loss: number; grad: Float32Array } | { error: string };

const port = parentPort!;
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

try {
  const ort = await loadOrt();
  if (!ort) throw new Error('onnxruntime-node does not load in a worker thread');
  const session = await createSession(ort, (workerData as { model: Uint8Array }).model, { threads: 1 });
  port.on('message', (inputs: HostBatch) => {
    session.run(hostTensors(ort, inputs)).then(
      (out) => {
        const grad = (out.grad.data as Float32Array).slice(); // its own buffer, to move
        port.postMessage({ loss: (out.loss.data as Float32Array)[0], grad } satisfies ThreadMessage, [grad.buffer]);
      },
      (error: unknown) => port.postMessage({ error: message(error) } satisfies ThreadMessage),
    );
  });
  port.postMessage({ ready: true } satisfies ThreadMessage);
} catch (error) {
  port.postMessage({ error: message(error) } satisfies ThreadMessage);
}
