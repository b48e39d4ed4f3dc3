/**
 * The dashboard as the browser test runs it: `next build` when the build is missing or older than
 * its sources, then `next start` on a free port pointed at an API by API_URL (read per request, so
 * the build does not depend on where the API is).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@guidance-lab/db';
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';
import { startStack, type Stack } from '../platform/stack';

export const WEB_DIR = fileURLToPath(new URL('../../apps/web', import.meta.url));
const NEXT_BIN = fileURLToPath(new URL('../../node_modules/next/dist/bin/next', import.meta.url));
const SOURCES = ['app', 'components', 'lib', 'next.config.ts', 'package.json', 'tsconfig.json', '../../experiments/src'];
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/** True when .next/BUILD_ID is older than any source the dashboard is built from. */
export function webBuildIsStale(): boolean {
  const buildId = join(WEB_DIR, '.next', 'BUILD_ID');
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  return SOURCES.some((source) => newestMtime(join(WEB_DIR, source)) > built);
}

export function ensureWebBuild(): void {
  if (!webBuildIsStale()) return;
  const result = spawnSync(process.execPath, [NEXT_BIN, 'build'], { cwd: WEB_DIR, env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`next build failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
}

export interface Web {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

export async function startWeb(apiUrl: string, port?: number): Promise<Web> {
  port ??= await freePort();
  const child = spawn(process.execPath, [NEXT_BIN, 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: WEB_DIR,
    env: { ...env, API_URL: apiUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout.on('data', (chunk) => (text += chunk));
  child.stderr.on('data', (chunk) => (text += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  // Ready when it answers; a deadline only bounds a hung start.
  const until = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}):\n${text}`);
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > until) {
      await stop();
      throw new Error(`next start did not answer on ${url}:\n${text}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url, output: () => text, stop };
}

/** Debian's Chromium, headless and quiet (no background network, no first-run work). */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export const launchChromium = (extraArgs: string[] = [], options: LaunchOptions = {}): Promise<Browser> =>
  chromium.launch({ ...options, executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...extraArgs] });

export interface Dashboard {
  stack: Stack;
  web: Web;
  browser: Browser;
  /** Closes Chromium, then the dashboard, then the stack: a test's afterAll (after its worker). */
  stop(): Promise<void>;
}

/**
 * What every browser test starts: the dashboard built, a stack (PostgreSQL + API) that answers
 * browsers from the dashboard's origin only — so it is told the dashboard's port first —, the
 * dashboard pointed at it, and Chromium. If a later part fails to start, the parts already started
 * are stopped before the error is thrown (the test's afterAll never got them).
 */
export async function startDashboard(): Promise<Dashboard> {
  ensureWebBuild();
  const webPort = await freePort();
  const stack = await startStack({ allowedOrigins: [`http://127.0.0.1:${webPort}`] });
  let web: Web | null = null;
  try {
    web = await startWeb(`${stack.origin}/graphql`, webPort);
    const browser = await launchChromium();
    const started = web;
    return {
      stack,
      web,
      browser,
      async stop() {
        await browser.close();
        await started.stop();
        await stack.stop();
      },
    };
  } catch (error) {
    await web?.stop();
    await stack.stop();
    throw error;
  }
}

/** Every open page of the browser into test-artifacts/<name>-failure-<i>.png: for onTestFailed. */
export async function screenshotPages(browser: Browser, name: string): Promise<void> {
  mkdirSync('test-artifacts', { recursive: true });
  const pages = browser.contexts().flatMap((c) => c.pages());
  for (const [i, p] of pages.entries()) await p.screenshot({ path: `test-artifacts/${name}-failure-${i}.png`, fullPage: true });
}
