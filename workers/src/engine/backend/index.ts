/**
 * Compute backend selection: tfjs-node-gpu, then tfjs-node (optional native packages), then WebAssembly,
 * then the plain CPU backend. `GUIDANCE_BACKEND` overrides the caller's preference.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { registerGradients } from './gradients';
import { configureWasm } from './wasmSetup';
import { engineThreads } from './threads';
import { useThreadedWasm } from './wasmThreads';

import { BACKEND_PREFERENCES, type BackendPreference } from './preferences';

export { BACKEND_PREFERENCES, type BackendPreference };

/** Loads a native tfjs-node package; false when it is not installed or cannot load here. */
async function tryNative(pkg: '@tensorflow/tfjs-node-gpu' | '@tensorflow/tfjs-node'): Promise<boolean> {
  try {
    await import(/* @vite-ignore */ pkg);
    return await tf.setBackend('tensorflow');
  } catch {
    return false;
  }
}

const attempts: Record<Exclude<BackendPreference, 'auto'>, () => Promise<string | null>> = {
  tensorflow: async () =>
    (await tryNative('@tensorflow/tfjs-node-gpu')) ? 'tensorflow-gpu' : (await tryNative('@tensorflow/tfjs-node')) ? 'tensorflow' : null,
  wasm: async () => {
    const wanted = engineThreads(); // a bad GUIDANCE_THREADS is an error, not a reason to fall back
    try {
      configureWasm();
      const { threads, reason } = await useThreadedWasm({ threads: wanted });
      console.log(`[engine] wasm on ${threads} thread${threads === 1 ? '' : 's'}${reason ? ` (${reason})` : ''}`);
      return 'wasm';
    } catch (error) {
      // Even the single-thread build failed to start: 'auto' moves on to the plain JS backend.
      console.warn(`[engine] wasm unavailable: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
  },
  cpu: async () => ((await tf.setBackend('cpu')) ? 'cpu' : null),
};

let active: { preference: BackendPreference; name: string } | null = null;

function resolvePreference(preference: BackendPreference): BackendPreference {
  const fromEnv = process.env.GUIDANCE_BACKEND;
  const chosen = fromEnv ? fromEnv : preference;
  if (!(BACKEND_PREFERENCES as readonly string[]).includes(chosen)) {
    throw new Error(`GUIDANCE_BACKEND must be one of ${BACKEND_PREFERENCES.join(', ')}; got '${chosen}'`);
  }
  return chosen as BackendPreference;
}

/**
 * Selects and readies the backend; returns (and logs) the name actually used:
 * 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu'. Calling again with the same preference is a no-op.
 */
export async function initBackend(preference: BackendPreference = 'auto'): Promise<string> {
  const wanted = resolvePreference(preference);
  await registerGradients();
  if (active && active.preference === wanted && tf.getBackend()) return active.name;
  const order: Exclude<BackendPreference, 'auto'>[] = wanted === 'auto' ? ['tensorflow', 'wasm', 'cpu'] : [wanted];
  for (const kind of order) {
    const name = await attempts[kind]();
    if (name) {
      await tf.ready();
      active = { preference: wanted, name };
      console.log(`[engine] compute backend: ${name}`);
      return name;
    }
  }
  throw new Error(`compute backend '${wanted}' is not available on this machine (try one of: wasm, cpu)`);
}

/** The backend name chosen by initBackend, or null before it ran. */
export function activeBackend(): string | null {
  return active?.name ?? null;
}
