/** graphile-worker's logger for our processes: its info/debug lines would drown ours; its warnings and errors still show. */
import { Logger } from 'graphile-worker';

export const quietGraphileLogger = (log: (message: string) => void) =>
  new Logger(() => (level, message) => {
    if (level === 'error' || level === 'warning') log(`graphile-worker ${level}: ${message}`);
  });
