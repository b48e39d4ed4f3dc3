/**
 * Registers tfjs-core's gradient functions (its Node bundle ships none). They exist only as the
 * package's ES module files, whose extensionless relative imports plain Node cannot resolve (`./gradients`
 * is both a file and a folder): a resolve hook, limited to tfjs-core's dist folder, appends `.js`.
 * The registries are global, so gradients registered this way serve the main bundle too.
 */
import { register } from 'node:module';

const hook = `
export async function resolve(specifier, context, next) {
  if (context.parentURL?.includes('/@tensorflow/tfjs-core/dist/') && specifier.startsWith('.') && !specifier.endsWith('.js')) {
    try { return await next(specifier + '.js', context); } catch {}
  }
  return next(specifier, context);
}`;

let done: Promise<void> | null = null;

/** Idempotent; call (initBackend does) before taking any gradient. */
export function registerGradients(): Promise<void> {
  done ??= (async () => {
    register(`data:text/javascript,${encodeURIComponent(hook)}`);
    await import('@tensorflow/tfjs-core/dist/register_all_gradients.js' as string);
  })();
  return done;
}
