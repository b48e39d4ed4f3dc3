/**
 * The dashboard end to end in Debian's Chromium: a real PostgreSQL, API and worker; a tiny toy2d
 * sweep launched from the launch page's grid builder (after two invalid launches are flagged at
 * the right place), watched until it finishes, its trade-off chart and sample grids checked, its
 * deep link reopened, and the "API is down" message shown once the API stops.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { startWorkerChild, waitFor, type Stack, type WorkerChild } from '../platform/stack';
import { screenshotPages, startDashboard, type Web } from './web';

const ARTIFACT = 'test-artifacts/sweep-page.png';

/** Model and data sizes the form does not show, through its advanced JSON box: trains in seconds. */
const TINY_EXTRA = {
  dataset: { modesPerClass: 2, testSize: 300, seed: 1 },
  model: { hidden: 32, depth: 2 },
  training: { batchSize: 64, learningRate: 2e-3, emaDecay: 0.99, checkpointEvery: 50 },
  classifier: { hidden: 32, depth: 2, batchSize: 64, learningRate: 3e-3 },
  evaluator: { hidden: 32, depth: 2, batchSize: 64, learningRate: 3e-3 },
};

/**
 * Page-side check (a string: this file is compiled without the DOM types): the images matched come
 * from `grids` distinct PNGs and every one has decoded (naturalWidth > 0).
 */
const allLoaded = (selector: string, grids: number) =>
  `(() => { const images = [...document.querySelectorAll(${JSON.stringify(selector)})];
    return new Set(images.map((img) => img.src)).size === ${grids} && images.every((img) => img.complete && img.naturalWidth > 0); })()`;

describe('dashboard', () => {
  let stack: Stack | null = null;
  let worker: WorkerChild | null = null;
  let web: Web | null = null;
  let browser: Browser | null = null;
  let stopDashboard = async () => {};

  beforeAll(async () => {
    ({ stack, web, browser, stop: stopDashboard } = await startDashboard());
    worker = startWorkerChild(stack);
  }, 900_000);

  afterAll(async () => {
    await worker?.stop();
    await stopDashboard();
  });

  const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });

  it('launches a tiny toy2d sweep from the launch page and shows its trade-off, samples and results', async () => {
    // On failure, keep what every open page showed.
    onTestFailed(() => screenshotPages(browser!, 'dashboard'));
    const page = await browser!.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${web!.url}/launch?mode=grid`);

    await field(page, 'Name').fill('browser tiny');
    await field(page, 'Dataset').selectOption('toy2d');
    await field(page, 'Classes K').fill('3');
    await field(page, 'Training points').fill('600');
    await page.getByLabel('None (baseline)').check();
    await field(page, 'p_uncond values').fill('0.2');
    await field(page, 'Seeds').fill('0');
    await field(page, 'Samples per class').fill('20');
    await field(page, 'Sampler').selectOption('ddim');
    await field(page, 'Sampler steps S').fill('10');
    await field(page, 'Training timesteps T').fill('100');
    await field(page, 'ε-net training steps').fill('200');
    await field(page, 'Noise-aware classifier training steps').fill('150');
    await field(page, 'Evaluator training steps').fill('150');
    await field(page, 'Advanced: JSON merged over the spec').fill(JSON.stringify(TINY_EXTRA));

    // An invalid value is flagged at its input, and Launch waits until it is fixed.
    await field(page, 'Guidance scales s').fill('1, 1');
    await expect.poll(() => page.locator('#f-scales-error').textContent(), { timeout: 30_000 }).toBe('scales must not repeat a value');
    expect(await page.getByRole('button', { name: 'Launch sweep' }).isDisabled()).toBe(true);

    // A grid over the API's run limit: only the API knows the limit; its error shows on the form.
    await field(page, 'Guidance scales s').fill(Array.from({ length: 64 }, (_, i) => i).join(', '));
    await field(page, 'p_uncond values').fill('0.1, 0.2, 0.3, 0.4');
    await expect.poll(() => page.getByTestId('plan-runs').textContent(), { timeout: 30_000 }).toBe(String(64 * 4 + 64 + 4));
    await page.getByRole('button', { name: 'Launch sweep' }).click();
    await expect.poll(() => page.locator('#form-error').textContent(), { timeout: 30_000 }).toContain('GUIDANCE_MAX_RUNS');

    // The tiny grid: classifier-free and classifier guidance at s = 0, 1, 3 plus the unguided baseline;
    // ε-nets at p_uncond 0.2 and 1, the noise-aware classifier and the evaluator.
    await field(page, 'Guidance scales s').fill('0, 1, 3');
    await field(page, 'p_uncond values').fill('0.2');
    await expect.poll(() => page.getByTestId('plan-runs').textContent(), { timeout: 30_000 }).toBe('7');
    expect(await page.getByTestId('plan-models').textContent()).toBe('4');
    await page.getByRole('button', { name: 'Launch sweep' }).click();
    await page.waitForURL(/\/sweeps\/[0-9a-f-]{36}$/, { timeout: 30_000 });
    const sweepUrl = page.url();
    const sweepId = sweepUrl.split('/').pop()!;

    // The page follows the sweep live until it ends (progress subscription); a failed sweep fails the test with the worker's log.
    const status = await waitFor(
      'the sweep page to show the sweep finished',
      async () => {
        const text = await page.locator('.sweep-header .badge').first().textContent();
        return text === 'succeeded' || text === 'failed' || text === 'cancelled' ? text : null;
      },
      600_000,
    );
    expect(status, worker!.output()).toBe('succeeded');

    const { sweep } = await stack!.gql<{ sweep: { counts: { total: number; succeeded: number } } }>('query($id: ID!) { sweep(id: $id) { counts { total succeeded } } }', { id: sweepId });
    expect(sweep.counts).toEqual({ total: 7, succeeded: 7 });
    // One trade-off point per grid point (one seed), all scored.
    await expect.poll(() => page.locator('[data-testid="tradeoff-chart"] .tradeoff-point').count(), { timeout: 30_000 }).toBe(sweep.counts.total);
    expect(await page.locator('#results-title + p + .scroll tbody tr').count()).toBe(7);

    // Samples: classifier-free on top, classifier guidance beneath, at every scale; every grid image loads.
    await page.getByLabel('Compare with').selectOption({ label: 'classifier guidance, p_uncond 1' });
    await page.getByLabel('Class', { exact: true }).selectOption({ index: 1 });
    await page.waitForFunction(allLoaded('.samples img.sample-grid', 6), undefined, { timeout: 30_000 });

    // Select a point from the table; the URL now reopens the same view.
    await page.locator('#results-title + p + .scroll tbody tr').first().getByRole('button', { name: /^Select/ }).click();
    // Next.js settles the URL a moment after each change; every earlier selection must survive it.
    const selection = () => {
      const q = new URL(page.url()).searchParams;
      return { point: q.get('point') !== null, b: q.get('b'), cls: q.get('cls') };
    };
    await expect.poll(selection, { timeout: 10_000 }).toEqual({ point: true, b: 'classifier:1', cls: '1' });
    const deepLink = page.url();
    const reopened = await browser!.newPage({ viewport: { width: 1440, height: 900 } });
    await reopened.goto(deepLink);
    await expect.poll(() => reopened.getByLabel('Compare with').inputValue(), { timeout: 30_000 }).toBe('classifier:1');
    expect(await reopened.getByLabel('Class', { exact: true }).inputValue()).toBe('1');
    await expect.poll(() => reopened.locator('aside.point-detail').textContent(), { timeout: 30_000 }).toMatch(/FID/);
    await reopened.waitForFunction(allLoaded('.samples img.sample-grid', 6), undefined, { timeout: 30_000 });
    await reopened.waitForFunction(allLoaded('aside.point-detail img', 1), undefined, { timeout: 30_000 });

    mkdirSync('test-artifacts', { recursive: true });
    await reopened.screenshot({ path: ARTIFACT, fullPage: true });

    // Click a sample row to enlarge it; Escape closes it.
    await reopened.locator('.samples button.crop').first().click();
    await reopened.waitForFunction(allLoaded('dialog.zoom[open] img.sample-grid', 1), undefined, { timeout: 10_000 });
    await reopened.keyboard.press('Escape');
    await expect.poll(() => reopened.locator('dialog.zoom[open]').count(), { timeout: 10_000 }).toBe(0);

    // Every sample of a run, filtered by class (option 0 is "all"), each with the evaluator's verdict; then a re-scoring.
    await reopened.getByLabel('Asked-for class').selectOption({ index: 2 });
    await expect.poll(() => reopened.locator('.sample-browser li').count(), { timeout: 30_000 }).toBe(20);
    expect(await reopened.locator('.sample-browser li').first().textContent()).toMatch(/#20 .*[✓✗] .*\d+%/);
    await reopened.getByRole('button', { name: 'Re-score from stored samples' }).click();
    await expect.poll(() => reopened.getByText('re-scored 7 of 7').count(), { timeout: 120_000 }).toBe(1);

    // With the API gone the page says so instead of failing silently.
    await worker!.stop();
    worker = null;
    await stack!.stop();
    stack = null;
    await reopened.reload();
    await expect.poll(() => reopened.getByRole('alert').first().textContent(), { timeout: 30_000 }).toContain('The Guidance Lab API is not reachable');
  }, 900_000);
});
