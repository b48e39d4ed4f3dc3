/**
 * Progress bars per phase on a terminal; plain log lines (at most one per 10 %) when output is
 * piped, so CI logs stay readable.
 */
import cliProgress from 'cli-progress';
import type { Progress } from '../engine/types';

export interface PhaseBar {
  update(p: Progress): void;
  stop(): void;
}

export function createBars() {
  const tty = Boolean(process.stderr.isTTY);
  const multi = tty
    ? new cliProgress.MultiBar(
        { format: '{label} |{bar}| {value}/{total} {detail}', hideCursor: true, clearOnComplete: false, stream: process.stderr },
        cliProgress.Presets.shades_classic,
      )
    : null;

  return {
    start(label: string): PhaseBar {
      // A terminal bar appears with the job's first report, not while it waits in the queue.
      let bar: ReturnType<NonNullable<typeof multi>['create']> | undefined;
      let lastTenth = -1;
      return {
        update(p) {
          const detail = `${p.phase}${p.loss === undefined ? '' : ` loss ${p.loss.toFixed(4)}`}`;
          bar ??= multi?.create(1, 0, { label: label.padEnd(44), detail: '' });
          if (bar) {
            bar.setTotal(p.total);
            bar.update(p.done, { detail });
            return;
          }
          const tenth = Math.floor((10 * p.done) / Math.max(1, p.total));
          if (tenth !== lastTenth) {
            lastTenth = tenth;
            process.stderr.write(`${label}: ${p.done}/${p.total} ${detail}\n`);
          }
        },
        stop() {
          bar?.stop();
        },
      };
    },
    stop() {
      multi?.stop();
    },
  };
}
