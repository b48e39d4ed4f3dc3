/**
 * What the embedded PostgreSQL keeps in its data directory beside PostgreSQL's own files: the
 * superuser's password (0600, random per data directory), the port (so the DATABASE_URL handed to
 * workers on other machines stays valid across restarts) and which process owns the running
 * server (so a server left behind by a crashed `npm start` is taken over and stopped later).
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const PASSWORD_FILE = 'guidance-password';
const PORT_FILE = 'guidance-port';
const OWNER_FILE = 'guidance-owner.pid';

const read = (dataDir: string, file: string): string | null => {
  const path = join(dataDir, file);
  return existsSync(path) ? readFileSync(path, 'utf8').trim() : null;
};

/** Hex: safe inside a URL and inside SQL quotes. */
export const newPassword = (): string => randomBytes(24).toString('hex');

export const passwordFile = (dataDir: string): string => join(dataDir, PASSWORD_FILE);

export const readPassword = (dataDir: string): string | null => read(dataDir, PASSWORD_FILE);

export function writePassword(dataDir: string, password: string): void {
  const path = passwordFile(dataDir);
  writeFileSync(path, `${password}\n`, { mode: 0o600 });
  chmodSync(path, 0o600); // the mode above applies only when the file is created
}

export const forgetPassword = (dataDir: string): void => rmSync(passwordFile(dataDir), { force: true });

export function readPort(dataDir: string): number | null {
  const port = Number(read(dataDir, PORT_FILE));
  return Number.isInteger(port) && port > 0 && port < 65536 ? port : null;
}

export const writePort = (dataDir: string, port: number): void => writeFileSync(join(dataDir, PORT_FILE), `${port}\n`);

/** Whether another live process started (or took over) the server running on this data directory. */
export function ownedByAnotherProcess(dataDir: string): boolean {
  const pid = Number(read(dataDir, OWNER_FILE));
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, someone else's
  }
}

export const claimOwnership = (dataDir: string): void => writeFileSync(join(dataDir, OWNER_FILE), `${process.pid}\n`);

export const releaseOwnership = (dataDir: string): void => rmSync(join(dataDir, OWNER_FILE), { force: true });
