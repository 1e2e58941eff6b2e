// HTTP functions are never anonymous: every `app.http(...)` in functions/*.ts, read from the source,
// sets authLevel 'function' (or 'admin') literally. The library registers 'anonymous' when authLevel
// is left out (azure-sdk-facts.md 1.1), so "not set" fails too. What reaches the host is read through
// the host API (test/support/functions-host.ts), so a new function in the catalog is covered without
// touching this test; this one also proves docs/deploy.md shows how to call each route.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerFunctions, type Registered } from '../support/functions-host';
import { httpRegistrations, ROOT } from './source-scan';

const calls = httpRegistrations();
let routes: { name: string; route: string; methods: string[]; authLevel: unknown }[] = [];

beforeAll(async () => {
  const registered: Registered[] = await registerFunctions();
  routes = registered.flatMap((r) =>
    Object.values(r.bindings)
      .filter((b) => b.type === 'httpTrigger')
      .map((b) => ({
        name: r.name,
        route: String(b.route),
        methods: (b.methods as string[]).map((m) => m.toUpperCase()),
        authLevel: b.authLevel,
      })),
  );
});

describe('HTTP functions', () => {
  it('are registered with the host', () => {
    expect(routes.map((r) => r.name).sort()).toEqual(
      expect.arrayContaining(['dashboard', 'dashboardData', 'overrides', 'plan', 'run', 'status']),
    );
  });

  it('all require a key: authLevel is literally function or admin in the source, and so registered', () => {
    expect(calls.length).toBeGreaterThan(0);
    for (const c of calls) expect(['function', 'admin'], `${c.file} ${c.name}`).toContain(c.authLevel);
    for (const r of routes) expect(['function', 'admin'], r.name).toContain(r.authLevel);
  });

  it('each route and method is shown with a key in docs/deploy.md', () => {
    const docs = readFileSync(path.join(ROOT, 'docs/deploy.md'), 'utf8');
    expect(docs).toContain('x-functions-key');
    for (const r of routes) {
      const base = r.route.split('/{')[0]!;
      for (const method of r.methods) {
        const escaped = base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        const shown =
          new RegExp(`-X ${method} [^\\n]*/api/${escaped}\\b`).test(docs) ||
          (method === 'GET' && new RegExp(`(curl|open|https://)[^\\n]*/api/${escaped}\\b`).test(docs));
        expect(shown, `${method} /api/${r.route} in docs/deploy.md`).toBe(true);
      }
    }
  });
});
