// HTTP functions are never anonymous: every `app.http(...)` in functions/*.ts, read from the source
// (a new file is covered without touching this test), sets authLevel 'function' (or 'admin')
// literally. The library registers 'anonymous' when authLevel is left out (azure-sdk-facts.md 1.1),
// so "not set" fails too. test/functions/registration.test.ts checks the same through the host API;
// this one also proves docs/deploy.md shows how to call each route.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { httpRegistrations, ROOT } from './source-scan';

const registrations = httpRegistrations();

describe('HTTP functions', () => {
  it('are found in the source', () => {
    expect(registrations.map((r) => r.name).sort()).toEqual(expect.arrayContaining(['overrides', 'plan', 'run', 'status']));
  });

  it('all require a key: authLevel is literally function or admin', () => {
    for (const r of registrations) expect(['function', 'admin'], `${r.file} ${r.name}`).toContain(r.authLevel);
  });

  it('each route and method is shown with a key in docs/deploy.md', () => {
    const docs = readFileSync(path.join(ROOT, 'docs/deploy.md'), 'utf8');
    expect(docs).toContain('x-functions-key');
    for (const r of registrations) {
      const base = (r.route ?? r.name).split('/{')[0]!;
      for (const method of r.methods.length ? r.methods : ['GET', 'POST']) {
        const shown = new RegExp(`-X ${method} [^\\n]*/api/${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(docs) || (method === 'GET' && new RegExp(`curl [^\\n]*/api/${base}\\b`).test(docs));
        expect(shown, `${method} /api/${r.route ?? r.name} in docs/deploy.md`).toBe(true);
      }
    }
  });
});
