import type { ApiContext } from './context';

/**
 * A loader that batches by request turn: the keys asked for in one turn of a request (the fields of
 * a list resolve together) share one `load`. Nothing is kept past the turn, so a subscription's next
 * event reads afresh.
 */
export function perTurn<V>(load: (ctx: ApiContext, keys: string[]) => Promise<Map<string, V>>): (ctx: ApiContext, key: string) => Promise<V | undefined> {
  const pending = new WeakMap<ApiContext, { keys: Set<string>; loaded: Promise<Map<string, V>> }>();
  return (ctx, key) => {
    let batch = pending.get(ctx);
    if (!batch) {
      const keys = new Set<string>();
      const loaded = new Promise((turnEnds) => setImmediate(turnEnds)).then(() => {
        pending.delete(ctx);
        return load(ctx, [...keys]);
      });
      batch = { keys, loaded };
      pending.set(ctx, batch);
    }
    batch.keys.add(key);
    return batch.loaded.then((byKey) => byKey.get(key));
  };
}
