// `npm start`'s live mode: the app's Function handlers fire on their schedules in accelerated
// simulated time, and the HTTP API on localhost is the Function App's — an override posted there
// changes what the next timer tick does, and the status page's document shows it.

import { afterEach, describe, expect, it } from 'vitest';
import type { AuditReport } from '../../core/audit';
import type { DashboardData } from '../../page/model';
import { startLive, type Live } from '../../devhost/live';
import { routePattern } from '../../devhost/local-host';
import { simPolicy } from '../../sim/scenario/simulation';
import { referenceTraffic } from '../../sim/scenario/traffic';

const MINUTE = 60_000;
let live: Live | undefined;
afterEach(async () => {
  await live?.close();
  live = undefined;
});

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const getJson = async <T>(url: string): Promise<{ status: number; body: T }> => {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as T };
};

describe('live mode', () => {
  it('fires the timers, serves the API and honours an override at the next node tick', async () => {
    const policy = simPolicy();
    const lines: string[] = [];
    const traffic = referenceTraffic({ days: 1, seed: 3, timezone: policy.timezone });
    live = await startLive({ traffic, policy, seed: 3, speed: 1200, port: 0, print: (l) => lines.push(l) });
    const url = live.url;

    // The page and the root redirect.
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'sha256-[^']+'.*connect-src 'self'.*frame-ancestors 'none'/);

    // Ticks have run: the history has node samples and the worker figures.
    const first = await until('node samples', async () => {
      const { body } = await getJson<DashboardData>(`${url}/api/dashboard/data`);
      return body.series.nodes.length >= 2 && body.series.workers.length >= 2 ? body : undefined;
    });
    expect(first.source).toContain('simulated AKS cluster');
    expect(first.nodes.filter((n) => n.pool === 'user').length).toBe(60);
    expect(first.nodes.find((n) => n.pool === 'batch')?.protectedBy).toBe('labelled clomo/BatchDeployable');
    expect(first.workers.map((w) => w.name)).toEqual(['bg']);

    // Night: the minimum is 2. A person pins 6 nodes over HTTP.
    const running = first.counts.running;
    expect(running).toBeLessThan(6);
    const post = await fetch(`${url}/api/overrides`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scaler: 'nodes', mode: 'pin', count: 6, for: '2h', reason: 'load test tonight' }),
    });
    expect(post.status).toBe(201);
    const { override } = (await post.json()) as { override: { id: string; expiresAt: string } };
    const postedAt = live.now();

    const started = await until('a start under the pin', async () => {
      const { body } = await getJson<DashboardData>(`${url}/api/dashboard/data`);
      const entry = body.timeline.find((e) => e.type === 'start-node' && e.reason.includes(override.id));
      return entry ? { body, entry } : undefined;
    });
    expect(started.entry.reason).toContain('load test tonight');
    // At the next node tick: within a minute of simulated time (plus the request's own step).
    expect(Date.parse(started.entry.at) - postedAt).toBeLessThanOrEqual(MINUTE + traffic.stepMs);
    expect(started.body.overrides.map((o) => o.id)).toEqual([override.id]);
    expect(lines.some((l) => l.includes('nodeScaler') && l.includes('start-node'))).toBe(true);

    // Bad input is refused with every problem named, and nothing stored.
    const bad = await fetch(`${url}/api/overrides`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scaler: 'nodes', mode: 'pin' }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { problems: string[] }).problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/^count:/), expect.stringMatching(/^reason:/), expect.stringMatching(/^for:/)]),
    );

    // Removed over HTTP: gone from the next document.
    expect((await fetch(`${url}/api/overrides/${override.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await getJson<DashboardData>(`${url}/api/dashboard/data`)).body.overrides).toEqual([]);
  }, 60_000);

  it('answers unknown routes and methods as the host would', async () => {
    live = await startLive({
      traffic: referenceTraffic({ days: 1, seed: 1, timezone: 'Asia/Tokyo' }),
      policy: simPolicy(),
      seed: 1,
      speed: 60,
      port: 0,
      print: () => {},
    });
    expect((await fetch(`${live.url}/api/nothing`)).status).toBe(404);
    const wrong = await fetch(`${live.url}/api/status`, { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');
    const plan = await fetch(`${live.url}/api/plan/elephants`, { method: 'POST' });
    expect(plan.status).toBe(400);
  }, 30_000);
});

describe('the drain audit in live mode', () => {
  it("serves GET /api/audit on the embedded cluster: the BG workers' 20-hour grace, nothing of the DaemonSets", async () => {
    const policy = simPolicy();
    live = await startLive({
      traffic: referenceTraffic({ days: 1, seed: 1, timezone: policy.timezone }),
      policy,
      seed: 1,
      speed: 60,
      port: 0,
      print: () => {},
    });
    const { status, body } = await getJson<AuditReport>(`${live.url}/api/audit`);
    expect(status).toBe(200);
    const seen = body.findings.map((f) => `${f.check} ${f.subject.kind}/${f.subject.name}`);
    // The policy's queue worker (clomo/bg, a 20-hour grace) is read from the policy npm start runs.
    expect(seen).toEqual(expect.arrayContaining(['14 Deployment/bg', '20 Deployment/bg']));
    expect(seen.some((s) => s.includes('DaemonSet'))).toBe(false);
    expect(body.workloads).toBeGreaterThan(3);
    const sarif = await fetch(`${live.url}/api/audit?output=sarif`);
    expect(sarif.headers.get('content-type')).toBe('application/sarif+json; charset=utf-8');
    expect(((await sarif.json()) as { runs: { results: unknown[] }[] }).runs[0]!.results).toHaveLength(body.findings.length);
  }, 30_000);
});

describe('route templates', () => {
  it.each([
    ['status', 'status', {}],
    ['overrides/{id?}', 'overrides', {}],
    ['overrides/{id?}', 'overrides/ov-1', { id: 'ov-1' }],
    ['plan/{scaler}', 'plan/nodes', { scaler: 'nodes' }],
    ['dashboard/data', 'dashboard/data', {}],
  ])('%s matches %s', (template, path, params) => {
    const { pattern, names } = routePattern(template);
    const m = pattern.exec(path);
    expect(m).not.toBeNull();
    expect(Object.fromEntries(names.flatMap((n, i) => (m![i + 1] === undefined ? [] : [[n, m![i + 1]]])))).toEqual(params);
  });

  it.each([
    ['plan/{scaler}', 'plan'],
    ['plan/{scaler}', 'plan/a/b'],
    ['status', 'statusx'],
    ['dashboard', 'dashboard/data'],
  ])('%s does not match %s', (template, path) => {
    expect(routePattern(template).pattern.test(path)).toBe(false);
  });
});
