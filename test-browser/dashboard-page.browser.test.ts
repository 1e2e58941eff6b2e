// The status page in a real browser: served as the Function App serves it (/api/dashboard, data at
// /api/dashboard/data, overrides at /api/overrides), rendering the fixture, talking to a fake API.
// The browser runs in New York while the policy's zone is Tokyo: every time shown must be Tokyo's.

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dashboardPage } from '../page/html';
import type { DashboardData } from '../page/model';
import type { AuditReport } from '../core/audit';
import { auditReportFixture } from '../test/builders/audit-report';
import { COST_NOT_SET } from '../page/cost';
import { formatAmount } from '../page/money';
import { dashboardCostAt, dashboardData } from '../test/builders/dashboard';
import { launchBrowser, type BrowserSession } from './support/browser';
import { submitOverrideForm } from './support/override-form';
import { html, json, startServer, type Answer, type Recorded, type TestServer } from './support/server';

const OUTPUT = path.join(__dirname, 'output');
const KEY = 'k3y/with+special=chars';
const XSS = '<img src=x onerror="window.__xss = 1">';

let browser: BrowserSession;
let server: TestServer;
let data: DashboardData;
let dataAnswer: (() => Answer) | undefined;
let audit: AuditReport;
let auditAnswer: (() => Answer) | undefined;
let postAnswer: Answer;
let deleteAnswer: Answer;

function api(r: Recorded): Answer {
  if (r.method === 'GET' && r.path === '/api/dashboard') return html(dashboardPage());
  if (r.method === 'GET' && r.path === '/api/dashboard/data') return dataAnswer ? dataAnswer() : json(200, data);
  if (r.method === 'GET' && r.path === '/api/audit') return auditAnswer ? auditAnswer() : json(200, audit);
  if (r.method === 'POST' && r.path === '/api/overrides') return postAnswer;
  if (r.method === 'DELETE' && r.path.startsWith('/api/overrides/')) return deleteAnswer;
  return json(404, { error: `no route ${r.method} ${r.path}` });
}

const requestsTo = (method: string, p: string) => server.requests.filter((r) => r.method === method && r.path === p);

async function open(query = `?code=${encodeURIComponent(KEY)}&refresh=60`): Promise<Page> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  (page as Page & { errors: string[] }).errors = errors;
  await page.goto(`${server.origin}/api/dashboard${query}`);
  await page.waitForSelector('[data-testid="last-updated"][data-state="ok"]');
  return page;
}
const errorsOf = (page: Page) => (page as Page & { errors: string[] }).errors;
const points = async (page: Page, id: string) => Number(await page.getAttribute(`[data-testid="${id}"]`, 'data-points'));

beforeAll(async () => {
  server = await startServer((r) => api(r));
  browser = await launchBrowser({ timezoneId: 'America/New_York' });
  await mkdir(OUTPUT, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

beforeEach(() => {
  data = dashboardData();
  dataAnswer = undefined;
  audit = auditReportFixture();
  auditAnswer = undefined;
  postAnswer = json(201, {
    override: {
      id: 'ovr-new',
      scaler: 'workers',
      worker: 'bg',
      mode: 'pin',
      count: 4,
      reason: 'x',
      createdAt: data.now,
      expiresAt: '2026-11-30T19:30:00.000Z',
    },
  });
  deleteAnswer = json(200, { removed: 'ovr-7f3a9c' });
  server.requests.length = 0;
});

describe('status page in Chromium', () => {
  it('draws the three charts from the data', async () => {
    const page = await open();
    expect(await points(page, 'chart-nodes')).toBe(data.series.nodes.length);
    expect(await points(page, 'chart-workers')).toBe(data.series.workers.length);
    expect(await points(page, 'chart-pods')).toBe(data.nodes.length);
    // The time charts are uPlot's: a canvas each, and a legend naming every series.
    const legend = (id: string) => page.locator(`[data-testid="${id}"] .u-legend .u-series th`).allTextContents();
    expect(await page.locator('[data-testid="chart-nodes"] canvas').count()).toBe(1);
    expect(await legend('chart-nodes')).toEqual(['time', 'running', 'starting', 'draining', 'stopped', 'desired', 'minimum']);
    expect(await page.locator('[data-testid="chart-workers"] .worker-chart').count()).toBe(2);
    expect(await page.locator('[data-testid="chart-workers"] canvas').count()).toBe(2);
    expect((await legend('chart-workers')).filter((l) => l === 'replicas')).toHaveLength(2);
    expect((await legend('chart-workers')).filter((l) => l === 'queue depth')).toHaveLength(2);
    expect(await page.locator('[data-testid="chart-pods"] g.node-row').count()).toBe(data.nodes.length);
    expect(await page.locator('[data-testid="chart-pods"] g.node-row .protected-text').count()).toBe(
      data.nodes.filter((n) => n.protectedBy).length,
    );
    const busiest = page.locator('[data-testid="chart-pods"] g.node-row[data-node="aks-user-12345678-vmss000001"]');
    expect(await busiest.locator('title').textContent()).toMatch(/24 of 30 workload pods; memory [\d.]+ GiB of 12.3 GiB requested/);
    expect(errorsOf(page)).toEqual([]);
    await page.close();
  });

  it("shows times in the policy's zone, not the browser's", async () => {
    const page = await open();
    expect(await page.textContent('[data-testid="now"]')).toBe('Tue 1 Dec, 03:00:00');
    expect(await page.textContent('#tz')).toContain('Asia/Tokyo');
    // Midnight in Tokyo is inside the last day; in New York or UTC the day label would differ.
    const axis = ((await page.getAttribute('[data-testid="chart-nodes"]', 'data-x-ticks')) ?? '').split('|');
    expect(axis).toContain('Tue 1 Dec');
    expect(axis).not.toContain('Mon 30 Nov');
    expect(await page.locator('[data-testid="timeline-entry"] td.when').first().textContent()).toBe('02:59');
    await page.close();
  });

  it('shows the tiles, the plan and the timeline, newest first', async () => {
    const page = await open();
    expect(await page.textContent('[data-testid="tile-running"] .value')).toBe(String(data.counts.running));
    expect(await page.textContent('[data-testid="tile-not-ready"] .value')).toBe('1');
    expect(await page.textContent('[data-testid="tile-desired"]')).toContain(data.counts.why);
    expect(await page.textContent('[data-testid="tile-pending"] .value')).toBe('3');
    const entries = page.locator('[data-testid="timeline"] [data-testid="timeline-entry"]');
    expect(await entries.count()).toBe(data.timeline.length);
    expect(await entries.first().textContent()).toContain('workers-scale-up');
    expect(await entries.nth(2).locator('.badge').textContent()).toBe('refused');
    expect(await entries.nth(2).textContent()).toContain('PodDisruptionBudget clomo/clomo-web allows 0 disruptions now');
    expect(await page.locator('[data-testid="would-do-entry"]').count()).toBe(data.wouldDo.length);
    expect(await page.locator('[data-testid="skipped"] [data-testid="skipped-entry"]').count()).toBe(data.skipped.length);
    expect(await page.locator('[data-testid="skipped"]').getAttribute('open')).toBeNull();
    // Legible at 1280×800: nothing wider than the window.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1280);
    await page.screenshot({ path: path.join(OUTPUT, 'dashboard.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: path.join(OUTPUT, 'dashboard-dark.png'), fullPage: true });
    await page.close();
  });

  it('forwards the function key to every API call', async () => {
    const page = await open();
    await page.click('[data-testid="override-row"] button.remove');
    await page.click('[data-testid="override-row"] button.remove[data-state="confirm"]');
    await page.waitForSelector('[data-testid="override-row"] button.remove:not([disabled])');
    await submitOverrideForm(page, { scaler: 'nodes', mode: 'pause', reason: 'checking the key' });
    await page.waitForSelector('[data-testid="override-status"]:not(:empty)');
    const calls = server.requests.filter((r) => r.path !== '/api/dashboard');
    expect(calls.map((r) => r.method).sort()).toEqual(expect.arrayContaining(['DELETE', 'GET', 'POST']));
    for (const r of calls) expect(r.query.get('code'), `${r.method} ${r.path}`).toBe(KEY);
    await page.close();
  });

  it('without a key, calls the API without one', async () => {
    const page = await open('?refresh=60');
    expect(requestsTo('GET', '/api/dashboard/data')[0]?.query.has('code')).toBe(false);
    await page.close();
  });

  it('posts an override as JSON, then clears the reason and refreshes', async () => {
    const page = await open();
    expect(await page.isVisible('#w-worker')).toBe(false);
    await page.selectOption('#f-scaler', 'workers');
    expect(await page.isVisible('#w-worker')).toBe(true);
    await page.selectOption('#f-mode', 'pin');
    expect(await page.isVisible('#w-min')).toBe(false);
    const before = requestsTo('GET', '/api/dashboard/data').length;
    await submitOverrideForm(page, {
      scaler: 'workers',
      worker: 'bg',
      mode: 'pin',
      count: 4,
      for: '90m',
      reason: 'month-end batch: hold 4 BG workers',
    });
    await page.waitForSelector('[data-testid="override-status"]:not(:empty)');
    const [post] = requestsTo('POST', '/api/overrides');
    expect(post?.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(post?.body ?? '')).toEqual({
      scaler: 'workers',
      worker: 'bg',
      mode: 'pin',
      count: 4,
      for: '90m',
      reason: 'month-end batch: hold 4 BG workers',
    });
    expect(Object.keys(JSON.parse(post?.body ?? '{}') as object)).toEqual(['scaler', 'worker', 'mode', 'count', 'for', 'reason']);
    expect(await page.inputValue('#f-reason')).toBe('');
    await expect.poll(() => requestsTo('GET', '/api/dashboard/data').length).toBeGreaterThan(before);
    await page.close();
  });

  it('sends bounds as min and max, and no worker for every worker', async () => {
    const page = await open();
    await submitOverrideForm(page, { scaler: 'workers', mode: 'bounds', min: 2, max: 6, reason: 'queue backlog after the outage' });
    await page.waitForSelector('[data-testid="override-status"]:not(:empty)');
    expect(JSON.parse(requestsTo('POST', '/api/overrides')[0]?.body ?? '')).toEqual({
      scaler: 'workers',
      mode: 'bounds',
      min: 2,
      max: 6,
      for: '2h',
      reason: 'queue backlog after the outage',
    });
    await page.close();
  });

  it('shows every problem of a 400 answer next to the form and keeps what was typed', async () => {
    postAnswer = json(400, {
      error: 'bad request',
      problems: ['count: a pin needs a count', 'for: expected a duration like 30m, 2h or 3d, got "soon"'],
    });
    const page = await open();
    await submitOverrideForm(page, { scaler: 'nodes', mode: 'pin', for: 'soon', reason: 'maintenance window' });
    await page.waitForSelector('[data-testid="override-problems"] li');
    expect(await page.locator('[data-testid="override-problems"] li').allTextContents()).toEqual([
      'count: a pin needs a count',
      'for: expected a duration like 30m, 2h or 3d, got "soon"',
    ]);
    expect(await page.getAttribute('#f-count', 'aria-invalid')).toBe('true');
    expect(await page.getAttribute('#f-for', 'aria-invalid')).toBe('true');
    expect(await page.getAttribute('#f-reason', 'aria-invalid')).toBeNull();
    expect(await page.inputValue('#f-reason')).toBe('maintenance window');
    expect(JSON.parse(requestsTo('POST', '/api/overrides')[0]?.body ?? '')).toEqual({
      scaler: 'nodes',
      mode: 'pin',
      for: 'soon',
      reason: 'maintenance window',
    });
    await page.screenshot({
      path: path.join(OUTPUT, 'override-problems.png'),
      clip: (await page.locator('[data-testid="override-form"]').boundingBox()) ?? undefined,
    });
    await page.close();
  });

  it('asks for a reason before posting', async () => {
    const page = await open();
    await page.click('#f-submit');
    expect(await page.locator('[data-testid="override-problems"] li').allTextContents()).toEqual([
      expect.stringMatching(/^reason: required/),
    ]);
    expect(requestsTo('POST', '/api/overrides')).toEqual([]);
    await page.close();
  });

  it('removes an override with DELETE, then refreshes', async () => {
    const page = await open();
    const row = page.locator('[data-testid="overrides"] [data-testid="override-row"]');
    expect(await row.getAttribute('data-override-id')).toBe('ovr-7f3a9c');
    data = { ...data, overrides: [] };
    // The first click only asks; Keep takes the question back; confirming removes.
    await row.locator('button.remove').click();
    expect(await row.locator('button.remove').textContent()).toBe('Remove now?');
    await row.locator('button.cancel').click();
    expect(await row.locator('button.remove').textContent()).toBe('Remove');
    await row.locator('button.remove').click();
    await page.waitForTimeout(100);
    expect(requestsTo('DELETE', '/api/overrides/ovr-7f3a9c')).toHaveLength(0);
    await row.locator('button.remove[data-state="confirm"]').click();
    await page.waitForSelector('[data-testid="override-row"]', { state: 'detached' });
    expect(requestsTo('DELETE', '/api/overrides/ovr-7f3a9c')).toHaveLength(1);
    expect(await page.textContent('[data-testid="overrides"]')).toContain('every scaler follows the policy');
    await page.close();
  });

  it('shows what people typed as text, never as markup', async () => {
    data = dashboardData();
    data.overrides = [{ ...data.overrides[0]!, reason: XSS, createdBy: XSS }];
    data.timeline = [{ ...data.timeline[0]!, reason: XSS, detail: XSS, target: XSS }, ...data.timeline];
    data.wouldDo = [{ ...data.wouldDo[0]!, reason: XSS }];
    data.notes = [XSS];
    data.nodes = [{ ...data.nodes[0]!, name: XSS, protectedBy: XSS }, ...data.nodes.slice(1)];
    data.source = XSS;
    const page = await open();
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.evaluate('typeof window.__xss')).toBe('undefined');
    expect(await page.textContent('[data-testid="override-row"]')).toContain(XSS);
    expect(await page.locator('[data-testid="timeline-entry"]').first().textContent()).toContain(XSS);
    expect(await page.textContent('[data-testid="source"]')).toBe(XSS);
    expect(await page.locator('[data-testid="chart-pods"] text.node-name').first().textContent()).toBe(XSS);
    expect(errorsOf(page)).toEqual([]);
    await page.close();
  });

  it('polls, and says so when the connection fails', async () => {
    const page = await open(`?code=${encodeURIComponent(KEY)}&refresh=0.5`);
    expect(await page.getAttribute('[data-testid="last-updated"]', 'data-state')).toBe('ok');
    dataAnswer = () => json(502, { error: 'bad gateway' });
    await page.waitForSelector('[data-testid="last-updated"][data-state="error"]');
    expect(await page.textContent('[data-testid="last-updated"]')).toContain('HTTP 502');
    // The last good data stays on screen.
    expect(await points(page, 'chart-nodes')).toBe(data.series.nodes.length);
    dataAnswer = undefined;
    await page.waitForSelector('[data-testid="last-updated"][data-state="ok"]');
    await page.close();
  });

  it('follows new data: a new sample and a new timeline entry appear', async () => {
    const page = await open(`?refresh=0.5`);
    const last = data.series.nodes[data.series.nodes.length - 1]!;
    data = {
      ...data,
      now: '2026-11-30T18:01:00.000Z',
      series: { ...data.series, nodes: [...data.series.nodes, { ...last, at: '2026-11-30T18:01:00.000Z', running: 5, draining: 2 }] },
      timeline: [
        {
          ...data.timeline[0]!,
          at: '2026-11-30T18:01:00.000Z',
          type: 'cordon',
          target: 'aks-user-12345678-vmss000003',
          rule: 'scale-down-cordon',
        },
        ...data.timeline,
      ],
    };
    await page.waitForSelector(`[data-testid="chart-nodes"][data-points="${data.series.nodes.length}"]`);
    expect(await page.locator('[data-testid="timeline-entry"]').first().textContent()).toContain('scale-down-cordon');
    expect(await page.textContent('[data-testid="now"]')).toBe('Tue 1 Dec, 03:01:00');
    await page.close();
  });

  it('draws a column per node when there are too many for rows', async () => {
    const base = dashboardData().nodes;
    data.nodes = Array.from({ length: 64 }, (_, i) => ({
      ...base[i % base.length]!,
      name: `aks-user-12345678-vmss${i.toString(36).padStart(6, '0')}`,
      pool: i < 4 ? 'system' : 'user',
    }));
    const page = await open();
    expect(await page.getAttribute('[data-testid="chart-pods"]', 'data-layout')).toBe('columns');
    expect(await points(page, 'chart-pods')).toBe(64);
    expect(await page.locator('[data-testid="chart-pods"] g.node-row').count()).toBe(64);
    expect(await page.locator('[data-testid="chart-pods"] g.node-row title').first().textContent()).toMatch(
      /^aks-user-12345678-vmss000000 \(pool system\)/,
    );
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1280);
    await page.locator('[data-testid="chart-pods"]').screenshot({ path: path.join(OUTPUT, 'pods-columns.png') });
    await page.close();
  });

  it('copes with an empty cluster and no history', async () => {
    data = dashboardData({
      nodes: [],
      workers: [],
      overrides: [],
      wouldDo: [],
      skipped: [],
      notes: [],
      timeline: [],
      series: { nodes: [], workers: [] },
      counts: {
        running: 0,
        starting: 0,
        draining: 0,
        stopped: 0,
        notReady: 0,
        desired: undefined,
        minNodes: undefined,
        maxNodes: undefined,
        why: undefined,
      },
      pendingPods: 0,
    });
    const page = await open();
    expect(await points(page, 'chart-nodes')).toBe(0);
    expect(await points(page, 'chart-workers')).toBe(0);
    expect(await points(page, 'chart-pods')).toBe(0);
    expect(await page.locator('[data-testid="timeline-entry"]').count()).toBe(0);
    expect(await page.textContent('[data-testid="tile-desired"] .value')).toBe('—');
    expect(errorsOf(page)).toEqual([]);
    await page.close();
  });

  it('shows what the VMs cost now, over the history shown and against static peak, and how each figure is counted', async () => {
    const cost = data.cost;
    if (!cost.priced) throw new Error('the fixture has prices');
    const page = await open();
    const tile = page.locator('[data-testid="tile-cost"]');
    const value = (id: string) => tile.locator(`[data-testid="${id}"] .value`).textContent();
    expect(await value('cost-now')).toBe('JPY 551/h');
    expect(await tile.locator('[data-testid="cost-now"] .label').textContent()).toBe('cost now · 11 VMs running, 1 deallocated');
    expect(await value('cost-window')).toBe(formatAmount(cost.window!.amount, 'JPY'));
    expect(await tile.locator('[data-testid="cost-window"] .label').textContent()).toBe('over the last 24h');
    expect(await value('cost-saved')).toMatch(/^JPY [\d,]+ · \d+%$/);
    // The prices, the VMs and the time behind each figure: on hover, and in words for everyone.
    expect(await tile.locator('[data-testid="cost-now"]').getAttribute('title')).toBe(cost.explanation[0]);
    expect(await tile.locator('[data-testid="cost-how"] li').allTextContents()).toEqual(cost.explanation);
    await tile.locator('[data-testid="cost-how"] summary').click();
    expect(await tile.locator('[data-testid="cost-how"]').textContent()).toMatch(/user 7 at JPY 42\/h/);
    expect(await tile.locator('[data-testid="cost-unpriced"]').count()).toBe(0);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1280);
    await tile.screenshot({ path: path.join(OUTPUT, 'cost-tile.png') });
    expect(errorsOf(page)).toEqual([]);
    await page.close();
  });

  it('names the pools it has no price for, and says how to add prices when the policy has none', async () => {
    data = dashboardData({ cost: dashboardCostAt({ currency: 'USD', vmHour: { user: 0.28 }, deallocatedDiskHour: {} }) });
    let page = await open();
    expect(await page.textContent('[data-testid="tile-cost"] [data-testid="cost-unpriced"]')).toBe(
      'not priced, counted as 0: batch, system, user disks',
    );
    expect(await page.textContent('[data-testid="cost-now"] .value')).toBe('USD 1.96/h');
    await page.close();

    data = dashboardData({ cost: dashboardCostAt(undefined) });
    page = await open();
    const tile = page.locator('[data-testid="tile-cost"]');
    expect(await tile.textContent()).toBe(COST_NOT_SET);
    expect(await tile.locator('.figure').count()).toBe(0);
    expect(errorsOf(page)).toEqual([]);
    await page.close();
  });
});

describe('the drain audit on the status page', () => {
  /** A node kept for a bare pod, as the node scaler words it; and a Job's pod (audit check 12). */
  const BARE = {
    scaler: 'nodes',
    target: 'node/aks-user-12345678-vmss000002',
    rule: 'blocked-by-pod',
    reason: 'not a scale-down candidate: pod clomo/report has no controller to recreate it (no-controller) (audit check 1)',
  };
  const JOB = {
    scaler: 'nodes',
    target: 'node/aks-user-12345678-vmss000004',
    rule: 'blocked-by-pod',
    reason: "not a scale-down candidate: pod clomo/nightly-export-29012345-x7k2p is a Job's pod (job-pod) (audit check 12)",
  };
  const audited = (page: Page) => page.waitForSelector('[data-testid="audit-status"][data-state="ok"]');

  it("shows the counts by severity and each workload's most severe findings, with the check and the fix", async () => {
    const page = await open();
    await audited(page);
    expect(requestsTo('GET', '/api/audit')).toHaveLength(1);
    const counts = await page.locator('[data-testid="audit-count"]').allTextContents();
    expect(counts).toEqual(['1 block scale-down', '7 evictable, not graceful', '1 advice']);
    const workloads = page.locator('[data-testid="audit-workload"]');
    expect(await workloads.evaluateAll((els) => els.map((e) => e.getAttribute('data-subject')))).toEqual([
      'Pod clomo/report',
      'Deployment clomo/bg',
      'Deployment clomo/web',
      'CronJob clomo/nightly-export',
      'PodDisruptionBudget clomo/orphan',
    ]);
    const bare = page.locator('#audit-1-pod-clomo-report');
    expect(await bare.locator('.check').textContent()).toBe('check 1');
    expect(await bare.textContent()).toContain('Bare pod (no controller owner)');
    expect(await bare.textContent()).toContain('cluster-autoscaler: refuses');
    expect(await bare.locator('[data-testid="audit-fix"] summary').textContent()).toContain('fix: run it as a Deployment');
    await bare.locator('[data-testid="audit-fix"] summary').click();
    expect(await bare.locator('[data-testid="audit-fix"] pre').textContent()).toMatch(
      /^# replaces Pod clomo\/report\n[^]*"kind": "Deployment"/,
    );
    // bg has four findings: the three most severe shown, the fourth one click away, anchored all the same.
    const bg = workloads.nth(1);
    expect(
      await bg.locator(':scope > [data-testid="audit-finding"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-check'))),
    ).toEqual(['10', '14', '17']);
    expect(await bg.locator('details > summary').last().textContent()).toBe('1 more finding');
    expect(await page.locator('#audit-20-deployment-clomo-bg').isVisible()).toBe(false);
    expect(await bg.textContent()).toContain('heuristic');
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1280);
    await page.locator('[data-testid="audit"]').screenshot({ path: path.join(OUTPUT, 'audit.png') });
    expect(errorsOf(page)).toEqual([]);
    await page.close();
  });

  it('links a refusal that names an audit check to the finding, or to the workload when the check found nothing there', async () => {
    data.skipped = [...data.skipped, BARE, JOB];
    data.timeline = [
      {
        ...data.timeline[0]!,
        rule: 'drain-blocked-uncordon',
        reason: 'drain abandoned: pod clomo/report has no controller to recreate it (no-controller) (audit check 1)',
      },
      ...data.timeline,
    ];
    const page = await open();
    await audited(page);
    await page.click('[data-testid="skipped"] summary');
    const links = page.locator('[data-testid="skipped"] [data-testid="audit-link"]');
    expect(await links.count()).toBe(2);
    expect(await links.first().textContent()).toBe('audit check 1');
    expect(await links.first().getAttribute('href')).toBe('#audit-1-pod-clomo-report');
    expect(await links.last().getAttribute('href')).toBe('#audit-w-cronjob-clomo-nightly-export');
    expect(await page.locator('[data-testid="timeline-entry"]').first().locator('[data-testid="audit-link"]').getAttribute('href')).toBe(
      '#audit-1-pod-clomo-report',
    );
    // The text around the link is the reason as written.
    expect(
      await page.locator('[data-testid="skipped-entry"]').filter({ hasText: 'clomo/report' }).locator('.plan-reason').textContent(),
    ).toBe(BARE.reason);
    await links.first().click();
    await page.waitForSelector('#audit-1-pod-clomo-report.flash');
    expect(await page.evaluate('location.hash')).toBe('#audit-1-pod-clomo-report');
    expect(await page.locator('#audit-1-pod-clomo-report').isVisible()).toBe(true);
    expect(errorsOf(page)).toEqual([]);
    await page.close();
  });

  it('links to the audit section while the audit has not answered, and to the finding once it has', async () => {
    data.skipped = [...data.skipped, BARE];
    // The audit's answer is held back until the test lets it go.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const page = await browser.newPage();
    await page.route('**/api/audit*', async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(`${server.origin}/api/dashboard?refresh=60`);
    await page.waitForSelector('[data-testid="last-updated"][data-state="ok"]');
    await page.click('[data-testid="skipped"] summary');
    const link = page.locator('[data-testid="skipped"] [data-testid="audit-link"]');
    expect(await link.getAttribute('href')).toBe('#audit');
    release();
    await audited(page);
    expect(await link.getAttribute('href')).toBe('#audit-1-pod-clomo-report');
    await page.close();
  });

  it('says when the cluster cannot be read for the audit, leaves the rest of the page alone, and runs again on request', async () => {
    const error = 'the cluster could not be read for the audit: cannot list cronjobs (all namespaces): 403: cronjobs.batch is forbidden';
    auditAnswer = () => json(503, { error });
    const page = await open();
    await page.waitForSelector('[data-testid="audit-status"][data-state="error"]');
    expect(await page.textContent('[data-testid="audit-status"]')).toBe('audit unavailable: HTTP 503: ' + error);
    expect(await page.getAttribute('[data-testid="last-updated"]', 'data-state')).toBe('ok');
    expect(await page.locator('[data-testid="audit-workload"]').count()).toBe(0);
    auditAnswer = undefined;
    await page.click('[data-testid="audit-run"]');
    await audited(page);
    expect(await page.locator('[data-testid="audit-workload"]').count()).toBe(5);
    expect(requestsTo('GET', '/api/audit')).toHaveLength(2);
    // A failed run again keeps the last report on screen.
    auditAnswer = () => json(503, { error });
    await page.click('[data-testid="audit-run"]');
    await page.waitForSelector('[data-testid="audit-status"][data-state="error"]');
    expect(await page.textContent('[data-testid="audit-status"]')).toContain('showing the previous report');
    expect(await page.locator('[data-testid="audit-workload"]').count()).toBe(5);
    await page.close();
  });

  it('shows the first workloads, all of them on request or when a link points further down', async () => {
    const base = auditReportFixture();
    const many = Array.from({ length: 40 }, (_, i) =>
      base.findings.map((f) => ({ ...f, subject: { ...f.subject, name: f.subject.name + '-' + i } })),
    ).flat();
    audit = { ...base, findings: [...many, { ...base.findings[0]!, subject: { kind: 'Pod', namespace: 'clomo', name: 'late' } }] };
    data.skipped = [...data.skipped, { ...BARE, reason: 'not a scale-down candidate: pod clomo/late has no controller (audit check 1)' }];
    const page = await open();
    await audited(page);
    expect(await page.locator('[data-testid="audit-workload"]').count()).toBe(25);
    expect(await page.isVisible('#audit-more')).toBe(true);
    await page.click('[data-testid="skipped"] summary');
    await page.locator('[data-testid="skipped"] [data-testid="audit-link"]').click();
    await page.waitForSelector('#audit-1-pod-clomo-late.flash');
    expect(await page.locator('[data-testid="audit-workload"]').count()).toBe(201);
    expect(await page.isVisible('#audit-more')).toBe(false);
    await page.close();
  });

  it('shows what the report carries as text, never as markup', async () => {
    audit = auditReportFixture();
    audit.findings[0] = { ...audit.findings[0]!, message: XSS, fix: { ...audit.findings[0]!.fix!, description: XSS } };
    const page = await open();
    await audited(page);
    expect(await page.locator('#audit-1-pod-clomo-report .plan-reason').textContent()).toBe(XSS);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.evaluate('typeof window.__xss')).toBe('undefined');
    expect(errorsOf(page)).toEqual([]);
    await page.close();
  });
});
