import { describe, expect, it } from 'vitest';
import { parseRfc3339 } from '../../../../adapters/kubernetes/projection/rfc3339';

describe('parseRfc3339', () => {
  it.each([
    ['UTC as the API server writes it', '2026-11-01T00:00:00Z', Date.parse('2026-11-01T00:00:00Z')],
    ['fractional seconds, kept to the millisecond', '2026-11-01T00:00:00.123456Z', Date.parse('2026-11-01T00:00:00.123Z')],
    ['one fractional digit', '2026-11-01T00:00:00.5Z', Date.parse('2026-11-01T00:00:00.500Z')],
    ['a positive offset', '2026-11-30T07:35:00+09:00', Date.parse('2026-11-29T22:35:00Z')],
    ['a negative offset', '2026-11-29T17:35:00-05:00', Date.parse('2026-11-29T22:35:00Z')],
    ['lower-case t and z', '2026-11-01t00:00:00z', Date.parse('2026-11-01T00:00:00Z')],
    ['a space for T', '2026-11-01 00:00:00Z', Date.parse('2026-11-01T00:00:00Z')],
    ['a leap day', '2028-02-29T12:00:00Z', Date.parse('2028-02-29T12:00:00Z')],
  ])('reads %s', (_case, text, ms) => {
    expect(parseRfc3339(text)).toBe(ms);
  });

  it.each([
    ['no zone', '2026-11-01T00:00:00'],
    ['a compact offset', '2026-11-01T00:00:00+0900'],
    ['month 13', '2026-13-01T00:00:00Z'],
    ['hour 24', '2026-11-01T24:00:00Z'],
    ['a letter in a field', '2026-11-01T00:0a:00Z'],
    ['a dot without digits', '2026-11-01T00:00:00.Z'],
    ['trailing text', '2026-11-01T00:00:00Zjunk'],
    ['a date alone', '2026-11-01'],
    ['prose', 'Sunday, November 1, 2026 at midnight'],
  ])('refuses %s', (_case, text) => {
    expect(parseRfc3339(text)).toBeUndefined();
  });
});
