// POST/DELETE /api/overrides with what a careless or hostile client sends, against the simulator's
// memory store: a clear 4xx, never a 500, and nothing saved when refused.

import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import { beforeEach, describe, expect, it } from 'vitest';
import { hostileTarget, type HostileTarget } from '../../bench/hostile-requests';
import { MAX_ACTIVE_OVERRIDES } from '../../core/override-request';
import { MAX_PROBLEMS } from '../../functions/http-helpers';
import { overridesHttp } from '../../functions/overrides-http';

let target: HostileTarget;
beforeEach(() => {
  target = hostileTarget(1);
});

async function call(
  method: string,
  init: { body?: string; id?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: { error?: string; problems?: string[]; override?: { id: string } } }> {
  const request = new HttpRequest({
    method,
    url: `http://localhost/api/overrides${init.id ? `/${encodeURIComponent(init.id)}` : ''}`,
    headers: { 'content-type': 'application/json', ...init.headers },
    params: init.id ? { id: init.id } : {},
    ...(init.body !== undefined ? { body: { string: init.body } } : {}),
  });
  const res = (await overridesHttp(
    request,
    new InvocationContext({ functionName: 'overrides', logHandler: () => undefined }),
  )) as HttpResponseInit;
  return { status: res.status ?? 200, body: res.jsonBody as never };
}

const pause = (reason = 'maintenance window') => JSON.stringify({ scaler: 'nodes', mode: 'pause', reason, for: '2h' });

/** Runs `refused` and checks it saved nothing and left the stored memory byte-identical. */
async function unchanged<T>(refused: () => Promise<T>): Promise<T> {
  const before = { saves: target.store.saves, state: target.store.serialized() };
  const result = await refused();
  expect(target.store.saves).toBe(before.saves);
  expect(target.store.serialized()).toBe(before.state);
  return result;
}

describe('POST /api/overrides, refused', () => {
  it.each([
    ['array', () => `${'['.repeat(5000)}1${']'.repeat(5000)}`],
    ['object', () => `${'{"a":'.repeat(2500)}1${'}'.repeat(2500)}`],
  ])('answers 400 to 10 KB of %s nesting in a known field, under the body limit', async (_kind, nest) => {
    for (const field of ['count', 'scaler', 'mode', 'reason', 'for', 'expiresAt']) {
      const body = `{"scaler":"nodes","mode":"pin","reason":"deep",${field === 'expiresAt' ? '' : '"for":"1h",'}"${field}":${nest()}}`;
      expect(body.length).toBeGreaterThan(10_000);
      const answer = await unchanged(() => call('POST', { body }));
      expect(answer.status).toBe(400);
      const said = field === 'reason' ? 'required' : 'got an (array|object)';
      expect(answer.body.problems!.join('\n')).toMatch(new RegExp(`^${field}: .*${said}`, 'm'));
    }
  });

  it('answers 400 naming the field to a reason with NUL or a bidirectional override in it', async () => {
    for (const reason of ['release\u0000done', 'release \u202edone']) {
      const answer = await unchanged(() => call('POST', { body: pause(reason) }));
      expect(answer.status).toBe(400);
      expect(answer.body.problems).toEqual([expect.stringMatching(/^reason: contains U\+(0000|202E)/)]);
    }
  });

  it('records a caller name from a principal header with control characters made printable', async () => {
    const answer = await call('POST', { body: pause(), headers: { 'x-ms-client-principal-name': 'bob\u0001\u0085evil' } });
    expect(answer.status).toBe(201);
    expect((answer.body as { override?: { createdBy?: string } }).override?.createdBy).toBe('bob evil');
  });

  it('lists a bounded number of problems for a body of thousands of unknown fields', async () => {
    const body = JSON.stringify(Object.fromEntries(Array.from({ length: 800 }, (_, i) => [`k${i}`, i])));
    const answer = await unchanged(() => call('POST', { body }));
    expect(answer.status).toBe(400);
    expect(answer.body.problems).toHaveLength(MAX_PROBLEMS + 1);
    expect(answer.body.problems!.at(-1)).toMatch(/^… and \d+ more$/);
  });

  it('ignores __proto__ and constructor keys as unknown fields, polluting nothing', async () => {
    const answer = await unchanged(() =>
      call('POST', {
        body: '{"scaler":"nodes","mode":"pause","reason":"proto","for":"1h","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
      }),
    );
    expect(answer.status).toBe(400);
    expect(answer.body.problems).toEqual([
      expect.stringMatching(/^__proto__: unknown field/),
      expect.stringMatching(/^constructor: unknown field/),
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('the number of overrides', () => {
  it(`stops at ${MAX_ACTIVE_OVERRIDES} active ones with 409, saying how to make room, and takes one again after a DELETE`, async () => {
    for (let i = 0; i < MAX_ACTIVE_OVERRIDES; i++) expect((await call('POST', { body: pause(`maintenance ${i}`) })).status).toBe(201);
    const full = await unchanged(() => call('POST', { body: pause('one too many') }));
    expect(full.status).toBe(409);
    expect(full.body.problems).toEqual([
      expect.stringMatching(
        /at most 100 active at a time, and 100 are; remove one with DELETE \/api\/overrides\/\{id\} \(GET \/api\/overrides lists them\) or wait until one expires$/,
      ),
    ]);

    expect((await call('DELETE', { id: 'ov-7' })).status).toBe(200);
    const again = await call('POST', { body: pause('room again') });
    expect(again.status).toBe(201);
    expect(target.store.serialized().length).toBeLessThan(64 * 1024);
  });

  it('answers 404 to removing an override that is not there, and saves nothing', async () => {
    const answer = await unchanged(() => call('DELETE', { id: 'ov-404' }));
    expect(answer).toEqual({ status: 404, body: { error: 'no override "ov-404"' } });
  });
});
