/**
 * Orderly shutdown on SIGINT/SIGTERM/SIGHUP for the entry points (`npm run worker`, `npm start`): the
 * entry point owns the process and stops everything itself, the database last. Other listeners
 * (tsx's signal relay among them) are left in place; signals that arrive while stopping are ignored.
 * Returns the same once-only shutdown for other reasons (the parent process went away).
 */
export function onShutdownSignal(shutdown: (reason: string) => Promise<void>): (reason: string) => void {
  let started = false;
  const handle = (reason: string) => {
    if (started) return;
    started = true;
    shutdown(reason).then(
      () => process.exit(0),
      (error) => {
        console.error(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, handle);
  return handle;
}
