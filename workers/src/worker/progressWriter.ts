/**
 * Progress arrives many times a second; the database gets at most one write per interval, the
 * latest value winning. `close()` waits for the write in flight so a final status written after it
 * is not overtaken.
 */
export interface ProgressWriter<T> {
  push(value: T): void;
  close(): Promise<void>;
}

export function throttledWriter<T>(write: (value: T) => Promise<unknown>, everyMs: number, log: (message: string) => void): ProgressWriter<T> {
  let latest: { value: T } | null = null;
  let inFlight: Promise<void> = Promise.resolve();
  let last = 0;
  let closed = false;
  const flush = () => {
    if (!latest || closed) return;
    const { value } = latest;
    latest = null;
    last = Date.now();
    inFlight = inFlight.then(() => write(value)).then(
      () => undefined,
      (error) => log(`progress write failed: ${String(error)}`),
    );
  };
  let timer: NodeJS.Timeout | undefined;
  return {
    push(value) {
      latest = { value };
      const wait = last + everyMs - Date.now();
      if (wait <= 0) flush();
      else timer ??= setTimeout(() => {
        timer = undefined;
        flush();
      }, wait);
    },
    async close() {
      clearTimeout(timer);
      closed = true;
      await inFlight;
    },
  };
}
