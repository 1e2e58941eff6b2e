import { describe, expect, it } from 'vitest';
import type { Override } from '../../core/memory';
import { describeValue, MAX_ACTIVE_OVERRIDES, overrideRoom, validateOverrideRequest } from '../../core/override-request';
import { NOW, at, buildPolicy } from '../builders/views';

const ctx = { policy: buildPolicy(), now: NOW, id: 'ov-1', createdBy: 'alice@example.com' };
const check = (body: unknown) => validateOverrideRequest(body, ctx);

describe('override requests', () => {
  it('accepts a pin with a duration and records who and why', () => {
    const result = check({ scaler: 'nodes', mode: 'pin', count: 6, reason: 'incident 4711', for: '2h' });
    expect(result).toEqual({
      ok: true,
      override: {
        id: 'ov-1',
        scaler: 'nodes',
        mode: 'pin',
        count: 6,
        reason: 'incident 4711',
        createdAt: at(NOW),
        expiresAt: at(NOW + 2 * 3600_000),
        createdBy: 'alice@example.com',
      },
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
    [
      'an expiry in the past',
      { scaler: 'nodes', mode: 'pause', reason: 'late', expiresAt: at(NOW - 1000) },
      ['expiresAt: must be in the future'],
    ],
    ['an expiry too far ahead', { scaler: 'nodes', mode: 'pause', reason: 'forever', for: '30d' }, ['at most 7d ahead']],
    ['a pin without a count', { scaler: 'nodes', mode: 'pin', reason: 'pin it', for: '1h' }, ['count: a pin needs a count']],
    ['bounds upside down', { scaler: 'nodes', mode: 'bounds', min: 9, max: 3, reason: 'oops', for: '1h' }, ['min: 9 is above max 3']],
    ['a negative count', { scaler: 'nodes', mode: 'pin', count: -1, reason: 'neg', for: '1h' }, ['count: expected a whole number']],
    [
      'an unknown worker',
      { scaler: 'workers', worker: 'mail', mode: 'pause', reason: 'no such', for: '1h' },
      ["worker: expected one of the policy's workers (bg)"],
    ],
    ['a pin of the descheduler', { scaler: 'descheduler', mode: 'pin', count: 2, reason: 'nonsense', for: '1h' }, ['can only be paused']],
    ['a typo in a field', { scaler: 'nodes', mode: 'pause', reason: 'typo', for: '1h', expires: 'x' }, ['expires: unknown field']],
    [
      'an expiry without a zone',
      { scaler: 'nodes', mode: 'pause', reason: 'zone', expiresAt: '2026-12-01T00:00:00' },
      ['expiresAt: expected an ISO 8601 time with a zone'],
    ],
  ];
  it.each(bad)('refuses %s, listing every problem', (_name, body, expected) => {
    const result = check(body);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    for (const e of expected)
      expect(
        result.errors.some((x) => x.includes(e)),
        `${e} in ${JSON.stringify(result.errors)}`,
      ).toBe(true);
  });

  it('describes a deeply nested value in a known field without walking it (10 KB of nesting)', () => {
    for (const [open, close] of [
      ['[', ']'],
      ['{"a":', '}'],
    ] as const) {
      const deep = JSON.parse(`${open.repeat(5000)}1${close.repeat(5000)}`) as unknown;
      const result = check({ scaler: 'nodes', mode: 'pin', count: deep, reason: deep, for: deep, expiresAt: undefined, worker: deep });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.errors.find((e) => e.startsWith('count:'))).toMatch(/got an (array of 1 item|object with 1 field)$/);
    }
  });

  it('shows long values shortened and non-JSON values by kind', () => {
    expect(describeValue('x'.repeat(1000))).toBe(`"${'x'.repeat(80)}…"`);
    expect(describeValue(undefined)).toBe('nothing');
    expect(describeValue([1, 2])).toBe('an array of 2 items');
    expect(describeValue(NaN)).toBe('null');
  });

  it.each([
    ['NUL', '\u0000'],
    ['a bell', '\u0007'],
    ['a newline', '\n'],
    ['an escape sequence', '\u001b[31m'],
    ['DEL', '\u007f'],
    ['a C1 control', '\u0085'],
    ['a right-to-left override', '\u202e'],
    ['a left-to-right isolate', '\u2066'],
    ['a pop directional isolate', '\u2069'],
    ['a right-to-left mark', '\u200f'],
    ['a zero-width space', '\u200b'],
    ['a byte order mark', '\ufeff'],
    ['a lone surrogate', '\ud800'],
  ])('refuses a reason with %s in it, naming the field', (_name, c) => {
    const result = check({ scaler: 'nodes', mode: 'pause', reason: `release ${c} done`, for: '1h' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      expect.stringMatching(
        /^reason: contains U\+[0-9A-F]{4} at position 8; control, bidirectional and invisible format characters are not allowed$/,
      ),
    ]);
  });

  it('accepts a reason in any script, with emoji', () => {
    expect(check({ scaler: 'nodes', mode: 'pause', reason: '年末メンテナンス 🎍 — Wartung', for: '1h' }).ok).toBe(true);
  });

  it.each([
    ['a control character', 'bob\u0001@example.com', /^createdBy \(the caller's name from the request headers\): contains U\+0001/],
    ['a bidirectional override', 'eve\u202e@example.com', /^createdBy .*U\+202E/],
    ['too many characters', 'x'.repeat(300), /^createdBy: the caller's name is over 256 characters/],
  ])('refuses a caller name with %s', (_name, createdBy, expected) => {
    const result = validateOverrideRequest({ scaler: 'nodes', mode: 'pause', reason: 'fine', for: '1h' }, { ...ctx, createdBy });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([expect.stringMatching(expected)]);
  });
});

describe('room for another override', () => {
  const one = (i: number, reason = 'maintenance'): Override => ({
    id: `ov-${i}`,
    scaler: 'nodes',
    mode: 'pause',
    reason,
    createdAt: at(NOW),
    expiresAt: at(NOW + 3600_000),
  });
  const many = (n: number, reason?: string) => Array.from({ length: n }, (_, i) => one(i, reason));

  it(`takes up to ${MAX_ACTIVE_OVERRIDES} active overrides, saying how to make room beyond`, () => {
    expect(overrideRoom(many(MAX_ACTIVE_OVERRIDES - 1), one(1000))).toBeUndefined();
    expect(overrideRoom(many(MAX_ACTIVE_OVERRIDES), one(1000))).toMatch(
      /^overrides: at most 100 active at a time, and 100 are; remove one with DELETE \/api\/overrides\/\{id\}/,
    );
    // The same id again replaces itself: no room needed.
    expect(overrideRoom(many(MAX_ACTIVE_OVERRIDES), one(5))).toBeUndefined();
  });

  it('keeps the whole section small enough for its ConfigMap, whatever the reasons hold', () => {
    // The longest reasons, in the widest UTF-8: still within the byte limit at the count limit.
    const widest = '𠀀'.repeat(250);
    expect(overrideRoom(many(MAX_ACTIVE_OVERRIDES - 1, widest), one(1000, widest))).toBeUndefined();
    expect(overrideRoom(many(MAX_ACTIVE_OVERRIDES - 1, 'x'.repeat(5000)), one(1000))).toMatch(
      /^overrides: at most 262144 bytes stored in all/,
    );
  });
});
