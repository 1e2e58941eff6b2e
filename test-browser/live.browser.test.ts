// `npm start`'s status page in a real browser, against the live simulation: the app's own handlers on
// the local host, ticking in accelerated time. The page loads, its charts fill with data, and an
// override set from its form changes what the next node tick does — visible on the same page.

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardData } from '../page/model';
import { startLive, type Live } from '../devhost/live';
import { simPolicy } from '../sim/scenario/simulation';
import { referenceTraffic } from '../sim/scenario/traffic';
import { launchBrowser, type BrowserSession } from './support/browser';

const OUTPUT = path.join(__dirname, 'output');
let live: Live;
let browser: BrowserSession;

beforeAll(async () => {
  const policy = simPolicy();
  // Seed 5's Monday night: the minimum is 2 nodes; 300× real time, a node tick every 200 ms.
  live = await startLive({
    traffic: referenceTraffic({ days: 1, seed: 5, timezone: policy.timezone }),
    policy,
    seed: 5,
    speed: 300,
    port: 0,
    print: () => {},
  });
  browser = await launchBrowser({ timezoneId: 'UTC' });
  await mkdir(OUTPUT, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await live?.close();
});

const data = async (): Promise<DashboardData> => (await (await fetch(`${live.url}/api/dashboard/data`)).json()) as DashboardData;

describe('the live status page', () => {
  it('loads, charts the ticking cluster, and an override from its form changes the next node tick', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    // The root redirects to the page, as a person would type it; refresh every second.
    await page.goto(`${live.url}/?refresh=1`);
    expect(new URL(page.url()).pathname).toBe('/api/dashboard');
    await page.waitForSelector('[data-testid="last-updated"][data-state="ok"]');

    // The charts fill as the timers fire.
    const points = async (id: string) => Number(await page.getAttribute(`[data-testid="${id}"]`, 'data-points'));
    await expect
      .poll(async () => Math.min(await points('chart-nodes'), await points('chart-workers')), { timeout: 30_000, interval: 200 })
      .toBeGreaterThanOrEqual(3);
    expect(await points('chart-pods')).toBeGreaterThanOrEqual(60);
    expect(await page.locator('[data-testid="chart-nodes"] canvas').count()).toBeGreaterThan(0);
    expect(await page.textContent('[data-testid="source"]')).toContain('simulated AKS cluster');

    const before = await data();
    expect(before.counts.running).toBeLessThan(7);
    expect(before.overrides).toEqual([]);

    // What the VMs cost at the built-in policy's prices, and the same figures for scripts.
    expect(await page.textContent('[data-testid="cost-now"] .value')).toMatch(/^JPY [\d,]+\/h$/);
    expect(await page.textContent('[data-testid="cost-window"] .value')).toMatch(/^JPY [\d,]+$/);
    expect(before.cost).toMatchObject({ priced: true, currency: 'JPY', unpriced: [] });
    const status = (await (await fetch(`${live.url}/api/status`)).json()) as { cost: DashboardData['cost'] };
    expect(status.cost).toMatchObject({ priced: true, currency: 'JPY' });

    // A person pins 7 nodes from the form.
    await page.selectOption('#f-scaler', 'nodes');
    await page.selectOption('#f-mode', 'pin');
    await page.fill('#f-count', '7');
    await page.fill('#f-for', '2h');
    await page.fill('#f-reason', 'capacity test from the status page');
    await page.click('#f-submit');
    const row = page.locator('[data-testid="override-row"]');
    await row.first().waitFor({ timeout: 10_000 });
    const id = await row.first().getAttribute('data-override-id');
    expect(id).toMatch(/^ov-\d+$/);
    const setAt = live.now();

    // The next node tick starts VMs under the pin, and says so on the page's timeline.
    const entry = page.locator('[data-testid="timeline-entry"]', { hasText: id! }).filter({ hasText: 'start-node' });
    await entry.first().waitFor({ timeout: 30_000 });
    const after = await data();
    const started = after.timeline.filter((e) => e.type === 'start-node' && e.reason.includes(id!));
    expect(started.length).toBeGreaterThanOrEqual(7 - before.counts.running - before.counts.starting);
    expect(Math.min(...started.map((e) => Date.parse(e.at))) - setAt).toBeLessThanOrEqual(90_000);
    expect(started[0]!.reason).toContain('capacity test from the status page');

    // Removing it from the page takes it out of the next document.
    await page.click(`[data-override-id="${id}"] button.remove`);
    await page.click(`[data-override-id="${id}"] button.remove[data-state="confirm"]`);
    await row.first().waitFor({ state: 'detached', timeout: 10_000 });
    expect((await data()).overrides).toEqual([]);

    await page.screenshot({ path: path.join(OUTPUT, 'live.png'), fullPage: true });
    expect(errors).toEqual([]);
  }, 120_000);
});
