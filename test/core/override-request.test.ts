import { describe, expect, it } from 'vitest';
import { validateOverrideRequest } from '../../core/override-request';
import { NOW, at, buildPolicy } from '../builders/views';

const ctx = { policy: buildPolicy(), now: NOW, id: 'ov-1', createdBy: 'alice@example.com' };
const check = (body: unknown) => validateOverrideRequest(body, ctx);

describe('override requests', () => {
  it('accepts a pin with a duration and records who and why', () => {
    const result = check({ scaler: 'nodes', mode: 'pin', count: 6, reason: 'incident 4711', for: '2h' });
    expect(result).toEqual({
      ok: true,
      override: { id: 'ov-1', scaler: 'nodes', mode: 'pin', count: 6, reason: 'incident 4711', createdAt: at(NOW), expiresAt: at(NOW + 2 * 3600_000), createdBy: 'alice@example.com' },
    });
  });

  it.each([
    [{ scaler: 'workers', worker: 'bg', mode: 'bounds', min: 2, max: 8, reason: 'import week', expiresAt: at(NOW + 86_400_000) }],
    [{ scaler: 'all', mode: 'pause', reason: 'AKS upgrade', for: '90m' }],
    [{ scaler: 'descheduler', mode: 'pause', reason: 'investigating OOM', for: '1d' }],
  ])('accepts %j', (body) => {
    expect(check(body).ok).toBe(true);
  });

  const bad: [string, unknown, string[]][] = [
    ['not an object', [1, 2], ['body: expected a JSON object']],
    ['an unknown scaler and mode', { scaler: 'pods', mode: 'freeze', reason: 'x y z', for: '1h' }, ['scaler: expected', 'mode: expected']],
    ['no reason and no expiry', { scaler: 'nodes', mode: 'pause' }, ['reason: required', 'for: required']],
    ['an expiry in the past', { scaler: 'nodes', mode: 'pause', reason: 'late', expiresAt: at(NOW - 1000) }, ['expiresAt: must be in the future']],
    ['an expiry too far ahead', { scaler: 'nodes', mode: 'pause', reason: 'forever', for: '30d' }, ['at most 7d ahead']],
    ['a pin without a count', { scaler: 'nodes', mode: 'pin', reason: 'pin it', for: '1h' }, ['count: a pin needs a count']],
    ['bounds upside down', { scaler: 'nodes', mode: 'bounds', min: 9, max: 3, reason: 'oops', for: '1h' }, ['min: 9 is above max 3']],
    ['a negative count', { scaler: 'nodes', mode: 'pin', count: -1, reason: 'neg', for: '1h' }, ['count: expected a whole number']],
    ['an unknown worker', { scaler: 'workers', worker: 'mail', mode: 'pause', reason: 'no such', for: '1h' }, ['worker: expected one of the policy\'s workers (bg)']],
    ['a pin of the descheduler', { scaler: 'descheduler', mode: 'pin', count: 2, reason: 'nonsense', for: '1h' }, ['can only be paused']],
    ['a typo in a field', { scaler: 'nodes', mode: 'pause', reason: 'typo', for: '1h', expires: 'x' }, ['expires: unknown field']],
    ['an expiry without a zone', { scaler: 'nodes', mode: 'pause', reason: 'zone', expiresAt: '2026-12-01T00:00:00' }, ['expiresAt: expected an ISO 8601 time with a zone']],
  ];
  it.each(bad)('refuses %s, listing every problem', (_name, body, expected) => {
    const result = check(body);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    for (const e of expected) expect(result.errors.some((x) => x.includes(e)), `${e} in ${JSON.stringify(result.errors)}`).toBe(true);
  });
});
