// `npm run simulate`'s HTML report in a real browser: a day of the reference traffic under every
// strategy, written by the command itself, opened from disk as a person would. The result is said
// first, each strategy's waits have their own plot, and the plots fit a wide screen and a phone
// alike. Screenshots go to test-browser/output/ (gitignored).

import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulate } from '../cli/simulate';
import { launchBrowser, type BrowserSession } from './support/browser';

const OUTPUT = path.join(__dirname, 'output');
const REPORT = path.join(OUTPUT, 'simulation-report.html');
let browser: BrowserSession;

beforeAll(async () => {
  await mkdir(OUTPUT, { recursive: true });
  let err = '';
  const code = await simulate(['--days', '1', '--report', REPORT], {
    stdout: () => {},
    stderr: (t) => void (err += t),
    progress: false,
  });
  expect(err).toBe('');
  expect(code).toBe(0);
  browser = await launchBrowser({ timezoneId: 'UTC' });
}, 180_000);

afterAll(async () => {
  await browser?.close();
});

const STRATEGIES = 6;

interface Widths {
  window: number;
  page: number;
  svgs: { width: number; right: number }[];
}

// The window's width, the page's (wider when something overflows) and each plot's box.
const WIDTHS = `({
  window: document.documentElement.clientWidth,
  page: document.documentElement.scrollWidth,
  svgs: [...document.querySelectorAll('svg')].map((s) => ({ width: s.getBoundingClientRect().width, right: s.getBoundingClientRect().right })),
})`;

describe('the simulation report', () => {
  it('opens with the result in words and money, plots each strategy on its own scale, and fits a wide screen', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('requestfailed', (r) => errors.push(`request ${r.url()}`));
    await page.goto(pathToFileURL(REPORT).href);

    const lead = await page.textContent('#result');
    expect(lead).toMatch(/^Over 1 simulated day, graceful-scaler used [\d,]+ user node-hours, \d+% of static peak's/);
    expect(lead).toMatch(/JPY [\d,]+ saved against static peak/);
    // The first thing on the page after the title.
    const order = await page.evaluate("[...document.body.children].slice(0, 2).map((e) => e.tagName + (e.id ? '#' + e.id : ''))");
    expect(order).toEqual(['H1', 'P#result']);

    for (const id of ['pending', 'bg-wait', 'evictions', 'interruptions'])
      expect(await page.locator(`#${id} .panel svg path`).count()).toBe(2 * STRATEGIES);
    expect(await page.locator('.failures').count()).toBe(STRATEGIES);

    // Every plot is as wide as its container (responsive), none wider than the window.
    const widths = await page.evaluate<Widths>(WIDTHS);
    expect(widths.page).toBeLessThanOrEqual(widths.window);
    expect(Math.max(...widths.svgs.map((s) => s.right))).toBeLessThanOrEqual(widths.window);
    expect(Math.min(...widths.svgs.map((s) => s.width))).toBeGreaterThan(250);

    await page.screenshot({ path: path.join(OUTPUT, 'report.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('fits a phone: the plots shrink to the screen, only the wide tables scroll', async () => {
    const page = await browser.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(pathToFileURL(REPORT).href);
    const widths = await page.evaluate<Widths>(WIDTHS);
    expect(widths.page).toBeLessThanOrEqual(widths.window);
    expect(Math.max(...widths.svgs.map((s) => s.right))).toBeLessThanOrEqual(widths.window);
    await page.screenshot({ path: path.join(OUTPUT, 'report-phone.png'), fullPage: false });
    // The report is one file: nothing loaded from anywhere else.
    expect(await readFile(REPORT, 'utf8')).not.toMatch(/<script|<link|src="/);
  });
});
