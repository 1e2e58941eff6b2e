// Reading the status page in Chromium: the headline says why a gap between desired and actual nodes
// stands, times inside reasons are Tokyo's like every other time, notes come grouped, the timeline
// filters, the charts give values on hover and zoom, and axe-core finds no serious or critical
// accessibility problem. Screenshots at 1280 and 1920 px go to test-browser/output/ (not committed).

import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dashboardData } from '../test/builders/dashboard';
import { startDashboard, type DashboardHarness } from './support/dashboard-harness';

const OUTPUT = path.join(__dirname, 'output');
let harness: DashboardHarness;

beforeAll(async () => {
  harness = await startDashboard(dashboardData());
  await mkdir(OUTPUT, { recursive: true });
});

afterAll(async () => {
  await harness?.close();
});

beforeEach(() => {
  harness.data = dashboardData();
});

/** 27 nodes up against 3 desired, three drains already running: the drain limit holds the gap. */
function drainsAreTheBottleneck() {
  const d = dashboardData();
  d.wouldDo = d.wouldDo.filter((a) => a.scaler !== 'nodes');
  d.headlines = [
    {
      scaler: 'nodes',
      label: 'Nodes',
      status: 'held',
      desired: 3,
      actual: 27,
      actions: 0,
      text: '27 running or starting, 3 desired: 24 more could go, but 3 drains already in progress (at most 3 at a time)',
      blockedBy: {
        rule: 'drain-limit',
        target: 'nodes',
        reason: '24 more node(s) could go, but 3 drains already in progress (maxConcurrentDrains 3)',
        figures: { more: 24, drainsInProgress: 3, maxConcurrentDrains: 3 },
      },
    },
    ...d.headlines.filter((h) => h.scaler !== 'nodes'),
  ];
  d.skipped = [...d.skipped, { scaler: 'nodes', target: 'nodes', rule: 'drain-limit', reason: d.headlines[0]!.blockedBy!.reason }];
  d.notes = [
    ...Array.from({ length: 22 }, (_, i) => `node ${d.nodes[i % d.nodes.length]!.name} is stopped; its drain is complete`),
    ...d.notes,
  ];
  return d;
}

describe('reading the status page', () => {
  it('says in the headline that the drains in progress hold the gap, not that the scaler is content', async () => {
    harness.data = drainsAreTheBottleneck();
    const page = await harness.open();
    const nodes = page.locator('[data-testid="headline"][data-scaler="nodes"]');
    expect(await nodes.getAttribute('data-status')).toBe('held');
    expect(await nodes.locator('[data-testid="headline-text"]').textContent()).toBe(
      '27 running or starting, 3 desired: 24 more could go, but 3 drains already in progress (at most 3 at a time)',
    );
    expect(await nodes.locator('.rule').textContent()).toBe('drain-limit');
    expect(await nodes.isVisible()).toBe(true);
    // One headline per scaler, in the fixture's order.
    expect(await page.locator('[data-testid="headline"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-scaler')))).toEqual([
      'nodes',
      'workers/bg',
      'workers/bg-priority',
      'descheduler',
    ]);
    expect(await page.textContent('[data-testid="would-do"]')).not.toContain('content');
    // Twenty-two "stopped" notes read as one line with a count; the override form stays in reach.
    const notes = page.locator('[data-testid="note"]');
    expect(await notes.count()).toBe(3);
    expect(await notes.first().getAttribute('data-count')).toBe('22');
    expect(await notes.first().textContent()).toContain('node … is stopped; its drain is complete');
    const form = await page.locator('[data-testid="override-form"]').boundingBox();
    expect(form!.y).toBeLessThan(1400);
    expect(page.errors).toEqual([]);
    await page.close();
  });

  it("shows times inside reasons in the policy's zone, and names today's holiday", async () => {
    const d = dashboardData();
    d.holiday = { date: '2026-12-01', name: '創立記念日 (Founders’ Day)' };
    d.skipped = [
      ...d.skipped,
      {
        scaler: 'descheduler',
        target: 'descheduler',
        rule: 'paused',
        reason: 'descheduling is paused by override ovr-1: "upgrade" until 2026-11-30T19:40:00.000Z',
      },
    ];
    d.timeline = [{ ...d.timeline[0]!, reason: 'override ovr-2 (pause, until 2026-11-30T16:05:00.000Z: "x")' }, ...d.timeline.slice(1)];
    harness.data = d;
    const page = await harness.open();
    await page.click('[data-testid="skipped"] summary');
    const time = page.locator('[data-testid="skipped"] [data-testid="local-time"]');
    // 19:40 UTC is 04:40 the next morning in Tokyo (and 14:40 in the browser's New York).
    expect(await time.textContent()).toBe('Tue 1 Dec 04:40');
    expect(await time.getAttribute('datetime')).toBe('2026-11-30T19:40:00.000Z');
    expect(await page.locator('[data-testid="skipped"]').textContent()).not.toContain('T19:40');
    expect(await page.locator('[data-testid="timeline-entry"]').first().locator('[data-testid="local-time"]').textContent()).toBe(
      'Tue 1 Dec 01:05',
    );
    expect(await page.textContent('[data-testid="holiday"]')).toBe(
      'holiday 2026-12-01 創立記念日 (Founders’ Day): schedules count it as a Sunday',
    );
    await page.close();
  });

  it('filters the timeline by scaler, action and outcome', async () => {
    const page = await harness.open();
    const entries = page.locator('[data-testid="timeline-entry"]');
    const all = harness.data.timeline;
    expect(await entries.count()).toBe(all.length);
    await page.selectOption('[data-testid="tl-scaler"]', 'nodes');
    const nodes = all.filter((e) => e.scaler === 'nodes');
    expect(await entries.count()).toBe(nodes.length);
    expect(await entries.locator('td:nth-child(2)').allTextContents()).toEqual(nodes.map(() => 'nodes'));
    await page.selectOption('[data-testid="tl-type"]', 'stop-node');
    await page.selectOption('[data-testid="tl-outcome"]', 'failed');
    const failedStops = nodes.filter((e) => e.type === 'stop-node' && e.outcome === 'failed');
    expect(failedStops.length).toBeGreaterThan(0);
    expect(await entries.count()).toBe(failedStops.length);
    expect(await page.textContent('[data-testid="timeline-count"]')).toBe(`${failedStops.length} of ${all.length} matching`);
    // The options count what each value would show.
    expect(await page.locator('[data-testid="tl-scaler"] option[value="workers"]').textContent()).toBe(
      `workers (${all.filter((e) => e.scaler === 'workers').length})`,
    );
    await page.selectOption('[data-testid="tl-outcome"]', '');
    await page.selectOption('[data-testid="tl-type"]', '');
    await page.selectOption('[data-testid="tl-scaler"]', '');
    expect(await entries.count()).toBe(all.length);
    await page.close();
  });
});

describe('the status page at a glance', () => {
  it.each([
    [1280, 900],
    [1920, 1080],
  ])('is drawn at %i px wide without sideways scrolling (screenshot written)', async (width, height) => {
    harness.data = drainsAreTheBottleneck();
    const page = await harness.open({ width, height });
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
    await page.screenshot({ path: path.join(OUTPUT, `status-page-${width}.png`), fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: path.join(OUTPUT, `status-page-${width}-dark.png`), fullPage: true });
    expect(page.errors).toEqual([]);
    await page.close();
  });
});

describe('the charts', () => {
  it('give the values of the sample under the pointer', async () => {
    const page = await harness.open();
    const last = harness.data.series.nodes[harness.data.series.nodes.length - 1]!;
    const over = page.locator('[data-testid="chart-nodes"] .u-over');
    const box = (await over.boundingBox())!;
    // At the right edge: the last sample, which holds until now.
    await page.mouse.move(box.x + box.width - 1, box.y + box.height / 2);
    const values = async () =>
      Object.fromEntries(
        await page
          .locator('[data-testid="chart-nodes"] .u-legend .u-series')
          .evaluateAll((rows) => rows.map((r) => [r.querySelector('th')!.textContent, r.querySelector('.u-value')!.textContent])),
      ) as Record<string, string>;
    expect(await values()).toEqual({
      time: '03:00',
      running: String(last.running),
      starting: String(last.starting),
      draining: String(last.draining),
      stopped: String(last.stopped),
      desired: String(last.desired),
      minimum: String(last.minNodes),
    });
    // Further left, an earlier sample, in Tokyo's time.
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    expect((await values()).time).toMatch(/^(Mon 30 Nov )?\d\d:\d\d$/);
    expect((await values()).time).not.toBe('03:00');
    expect(page.errors).toEqual([]);
    await page.close();
  });

  it('zoom on the time axis by dragging, every time chart together, and zoom out on a double-click', async () => {
    const page = await harness.open();
    const ticks = (id: string) => page.getAttribute(`[data-testid="${id}"]`, 'data-x-ticks');
    const before = await ticks('chart-nodes');
    const over = page.locator('[data-testid="chart-nodes"] .u-over');
    const box = (await over.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.6, box.y + 20);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.7, box.y + 20, { steps: 5 });
    await page.mouse.up();
    expect(await page.getAttribute('[data-testid="chart-nodes"]', 'data-zoom')).toBe('in');
    const zoomed = await ticks('chart-nodes');
    expect(zoomed).not.toBe(before);
    // A tenth of a day: ticks every few minutes, where the whole day had them every two hours.
    expect(zoomed!.split('|').length).toBeGreaterThan(2);
    expect(await page.locator('[data-testid="chart-workers"] .chart[data-zoom="in"]').count()).toBe(2);
    await page.mouse.dblclick(box.x + box.width / 2, box.y + 20);
    expect(await page.getAttribute('[data-testid="chart-nodes"]', 'data-zoom')).toBe('out');
    expect(await ticks('chart-nodes')).toBe(before);
    await page.close();
  });
  it('keep the values under a resting pointer when new data arrives', async () => {
    const page = await harness.open(undefined, 0.5);
    const box = (await page.locator('[data-testid="chart-nodes"] .u-over').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const time = page.locator('[data-testid="chart-nodes"] .u-legend .u-series').first().locator('.u-value');
    const shown = await time.textContent();
    expect(shown).not.toBe('—');
    const d = harness.data;
    harness.data = { ...d, series: { ...d.series, nodes: [...d.series.nodes] }, now: '2026-11-30T18:00:30.000Z' };
    harness.data.series.nodes.push({ ...d.series.nodes[d.series.nodes.length - 1]!, at: '2026-11-30T18:00:30.000Z' });
    await page.waitForSelector(`[data-testid="chart-nodes"][data-points="${d.series.nodes.length + 1}"]`);
    expect(await time.textContent()).toBe(shown);
    await page.close();
  });

  it('keep the span zoomed to when new data arrives', async () => {
    const page = await harness.open(undefined, 0.5);
    const box = (await page.locator('[data-testid="chart-nodes"] .u-over').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.2, box.y + 20);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.4, box.y + 20, { steps: 5 });
    await page.mouse.up();
    const zoomed = await page.getAttribute('[data-testid="chart-nodes"]', 'data-x-ticks');
    const d = harness.data;
    const last = d.series.nodes[d.series.nodes.length - 1]!;
    harness.data = {
      ...d,
      now: '2026-11-30T18:01:00.000Z',
      series: { ...d.series, nodes: [...d.series.nodes, { ...last, at: '2026-11-30T18:01:00.000Z' }] },
    };
    await page.waitForSelector(`[data-testid="chart-nodes"][data-points="${d.series.nodes.length + 1}"]`);
    expect(await page.getAttribute('[data-testid="chart-nodes"]', 'data-zoom')).toBe('in');
    expect(await page.getAttribute('[data-testid="chart-nodes"]', 'data-x-ticks')).toBe(zoomed);
    await page.close();
  });
});

describe('accessibility', () => {
  it.each(['light', 'dark'] as const)('axe-core finds no serious or critical violation (%s)', async (scheme) => {
    harness.data = drainsAreTheBottleneck();
    const page = await harness.open();
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForSelector('[data-testid="audit-status"][data-state="ok"]');
    // Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not govern.
    await page.evaluate(await readFile(require.resolve('axe-core/axe.min.js'), 'utf8'));
    const violations = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) =>
      r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) })))`)) as {
      id: string;
      impact: string;
      targets: string[];
    }[];
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    await page.close();
  });
});
