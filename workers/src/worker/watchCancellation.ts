/** Polls whether a running job's work is still wanted and aborts a signal the first time it is not. */

export interface CancellationWatch {
  signal: AbortSignal;
  stop(): void;
}

export function watchCancellation(isCancelled: () => Promise<boolean>, everyMs: number, log: (message: string) => void): CancellationWatch {
  const controller = new AbortController();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const poll = async () => {
    try {
      if (await isCancelled()) {
        controller.abort(new Error('cancelled'));
        return;
      }
    } catch (error) {
      // A failed poll (e.g. a database blip) is not a cancellation; try again next time.
      log(`cancellation poll failed: ${String(error)}`);
    }
    if (!stopped) timer = setTimeout(poll, everyMs);
  };
  timer = setTimeout(poll, everyMs);
  return {
    signal: controller.signal,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
