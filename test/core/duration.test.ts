import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../core/duration';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['10m', 600_000],
    ['20h', 72_000_000],
    ['2d', 172_800_000],
    ['1h30m', 5_400_000],
    ['1m30s', 90_000],
    ['1d2h3m4s5ms', 93_784_005],
    ['1m500ms', 60_500],
    ['0s', 0],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    [''],
    ['10'],
    ['-5m'],
    ['1.5h'],
    ['10 minutes'],
    ['10 m'],
    [' 10m'],
    ['10M'],
    ['30m1h'],
    ['5m5m'],
    ['1w'],
    ['m'],
    ['99999999999999999999d'],
  ])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [500, '500ms'],
    [90_000, '1m30s'],
    [600_000, '10m'],
    [72_000_000, '20h'],
    [172_800_000, '2d'],
    [129_600_000, '1d12h'],
    [-30_000, '-30s'],
  ])('writes %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('reads back to the same number of milliseconds', () => {
    fc.assert(
      fc.property(fc.nat({ max: 365 * 86_400_000 }), (ms) => {
        expect(parseDuration(formatDuration(ms))).toBe(ms);
      }),
    );
  });

  it('carries every unit over into the next larger one', () => {
    const normal = /^(?:[1-9]\d*d)?(?:(?:[1-9]|1\d|2[0-3])h)?(?:[1-5]?\dm)?(?:[1-5]?\ds)?(?:[1-9]\d{0,2}ms)?$/;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 365 * 86_400_000 }), (ms) => {
        const text = formatDuration(ms);
        expect(text).toMatch(normal);
        expect(text).not.toMatch(/(^|[a-z])0/);
      }),
    );
  });
});
