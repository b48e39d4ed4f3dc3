/**
 * One thread of a data-parallel onnxruntime step (onnxStepEngine.ts): a session of the exported
 * loss-and-gradient graph at this thread's share of the batch, on one intra-op thread. In: the
 * inputs of one call (θ and the batch share); out: the loss and the gradient (its buffer moved).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createSession, loadOrt } from '../onnx/session';
import { dtypeOf, type HostBatch } from './update';

export type GradientReply = { loss: number; grad: Float32Array } | { error: string };

const port = parentPort!;
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

try {
  const ort = await loadOrt();
  if (!ort) throw new Error('onnxruntime-node does not load in a worker thread');
  const session = await createSession(ort, (workerData as { model: Uint8Array }).model, { threads: 1 });
  port.on('message', (inputs: HostBatch | null) => {
    if (inputs === null) {
      void session.release().finally(() => port.close());
      return;
    }
    const feeds = Object.fromEntries(Object.entries(inputs).map(([n, { data, shape }]) => [n, new ort.Tensor(dtypeOf(data) as 'float32', data as Float32Array, shape)]));
    session.run(feeds).then(
      (out) => {
        const grad = (out.grad.data as Float32Array).slice(); // its own buffer, to move
        port.postMessage({ loss: (out.loss.data as Float32Array)[0], grad } satisfies GradientReply, [grad.buffer]);
      },
      (error: unknown) => port.postMessage({ error: message(error) } satisfies GradientReply),
    );
  });
  port.postMessage({ ready: true });
} catch (error) {
  port.postMessage({ error: message(error) } satisfies GradientReply);
}
