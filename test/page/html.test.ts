// The status page as a document: self-contained (nothing fetched from elsewhere), with the hooks the
// browser tests and people rely on, and a script that at least parses. What it draws is checked in a
// real browser by test-browser/dashboard-page.browser.test.ts (npm run test:browser); its source is page/client/.

import { createHash } from 'node:crypto';
import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { dashboardPage } from '../../page/html';

const html = dashboardPage();
const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
const script = scripts[0]?.[2] ?? '';

describe('dashboardPage', () => {
  it('is one complete HTML document', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toMatch(/<meta charset="utf-8">/);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
  });

  it('loads nothing from elsewhere: no external src or href, no @import, no url() to a host', () => {
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/@import/i);
    expect(html).not.toMatch(/url\(\s*["']?\s*(https?:)?\/\//i);
    // The one absolute URL is the SVG namespace, a name rather than an address.
    const urls = [...html.matchAll(/https?:\/\/[^\s'"<>)]+/g)].map((m) => m[0]);
    expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg']));
  });

  it("carries the charts' stylesheet (uPlot's) inline with its own", () => {
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]);
    expect(styles).toHaveLength(1);
    expect(styles[0]).toContain('.u-legend');
    expect(styles[0]).toContain('.time-chart .u-legend');
  });

  it('has exactly one inline script, which parses', () => {
    expect(scripts).toHaveLength(1);
    expect(scripts[0]?.[1]).not.toMatch(/\bsrc=/);
    expect(script.length).toBeGreaterThan(1000);
    expect(() => new Script(script, { filename: 'dashboard-page.js' })).not.toThrow();
  });

  it('lets only its own script run: the Content-Security-Policy carries its hash', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    const hash = createHash('sha256').update(script, 'utf8').digest('base64');
    expect(csp).toContain(`script-src 'sha256-${hash}'`);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  });

  it('never hands data to the HTML parser', () => {
    expect(script).not.toMatch(/\.innerHTML|\.outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/);
  });

  // The script is page/client/ as the bundler prints it: strings in double quotes.
  it('calls the API relative to the page, forwarding the function key', () => {
    expect(script).toContain('api("dashboard/data")');
    expect(script).toContain('api("overrides")');
    expect(script).toContain('api("audit")');
    expect(script).toContain('api("overrides/" + encodeURIComponent(id))');
    expect(script).toContain('searchParams.set("code", code)');
  });

  it.each([
    'chart-nodes',
    'chart-workers',
    'chart-pods',
    'timeline',
    'overrides',
    'override-form',
    'override-problems',
    'last-updated',
    'would-do',
    'skipped',
    'notes',
    'source',
    'now',
    'audit',
    'audit-status',
    'audit-counts',
    'audit-workloads',
    'audit-run',
  ])('has the test id %s', (id) => {
    expect(html).toContain(`data-testid="${id}"`);
  });

  it.each(['timeline-entry', 'override-row', 'audit-workload', 'audit-finding', 'audit-link', 'audit-fix', 'tile-cost', 'cost-how'])(
    'the script creates elements with the test id %s',
    (id) => {
      expect(script).toContain(`"data-testid": "${id}"`);
    },
  );

  it.each(['running', 'starting', 'draining', 'stopped', 'not-ready', 'desired', 'pending'])(
    'the script creates the tile tile-%s',
    (id) => {
      expect(script).toContain('"data-testid": "tile-" + id');
      expect(script).toMatch(new RegExp(`tile\\(\\s*"${id}"`));
    },
  );

  it('charts start with data-points="0" until the data arrives', () => {
    for (const id of ['chart-nodes', 'chart-workers', 'chart-pods'])
      expect(html).toMatch(new RegExp(`id="${id}" data-testid="${id}" data-points="0"`));
  });

  it('offers every field of an override request in the form', () => {
    for (const field of ['scaler', 'worker', 'mode', 'count', 'min', 'max', 'for', 'reason']) expect(html).toContain(`name="${field}"`);
    expect(html).toMatch(/id="f-for" name="for" type="text" value="2h"/);
  });
});
