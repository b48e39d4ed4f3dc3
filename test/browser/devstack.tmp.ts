import { startStack, startWorkerChild, launch, tinySpec } from '../platform/stack';
import { startWeb } from './web';
const stack = await startStack();
const worker = startWorkerChild(stack);
const web = await startWeb(`${stack.origin}/graphql`);
const id = await launch(stack, tinySpec({ guidance: ['none', 'classifier-free', 'classifier'], scales: [0, 1, 2, 4], classifier: { hidden: 32, depth: 2, steps: 150, batchSize: 64, learningRate: 3e-3 } } as never));
console.log(JSON.stringify({ api: stack.origin, web: web.url, id }));
process.on('SIGTERM', async () => { await web.stop(); await worker.stop(); await stack.stop(); process.exit(0); });
setInterval(() => {}, 1 << 30);
