// The status page served as the Function App serves it (/api/dashboard, its data at
// /api/dashboard/data), rendering whatever document the test sets, in a browser running in New York
// while the policy's zone is Tokyo.

import type { Page } from 'playwright-core';
import { dashboardPage } from '../../page/html';
import type { DashboardData } from '../../page/model';
import { auditReportFixture } from '../../test/builders/audit-report';
import { launchBrowser, type BrowserSession, type LaunchOptions } from './browser';
import { html, json, startServer, type TestServer } from './server';

export interface DashboardHarness {
  /** What GET /api/dashboard/data answers; set it before opening a page. */
  data: DashboardData;
  server: TestServer;
  browser: BrowserSession;
  /** Opens the page and waits for its first data; `errors` collects what the page logged as errors. */
  open(viewport?: { width: number; height: number }, refreshSeconds?: number): Promise<Page & { errors: string[] }>;
  close(): Promise<void>;
}

export async function startDashboard(
  data: DashboardData,
  options: LaunchOptions = { timezoneId: 'America/New_York' },
): Promise<DashboardHarness> {
  const harness = { data } as DashboardHarness;
  harness.server = await startServer((r) => {
    if (r.method === 'GET' && r.path === '/api/dashboard') return html(dashboardPage());
    if (r.method === 'GET' && r.path === '/api/dashboard/data') return json(200, harness.data);
    if (r.method === 'GET' && r.path === '/api/audit') return json(200, auditReportFixture());
    return json(404, { error: `no route ${r.method} ${r.path}` });
  });
  harness.browser = await launchBrowser(options);
  harness.open = async (viewport, refreshSeconds = 60) => {
    const page = (await harness.browser.newPage()) as Page & { errors: string[] };
    page.errors = [];
    page.on('pageerror', (e) => page.errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') page.errors.push(m.text());
    });
    if (viewport) await page.setViewportSize(viewport);
    await page.goto(`${harness.server.origin}/api/dashboard?refresh=${refreshSeconds}`);
    await page.waitForSelector('[data-testid="last-updated"][data-state="ok"]');
    return page;
  };
  harness.close = async () => {
    await harness.browser?.close();
    await harness.server?.close();
  };
  return harness;
}
