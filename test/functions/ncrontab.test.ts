import { describe, expect, it } from 'vitest';
import { ncrontabMatches, NcrontabError, occurrences, parseNcrontab } from '../../functions/ncrontab';

const at = (iso: string) => new Date(iso);
const MIN = 60_000;

describe('NCRONTAB', () => {
  it('fires the default schedules when the host would', () => {
    const t0 = Date.parse('2026-11-30T00:00:00Z');
    expect(occurrences(parseNcrontab('0 */1 * * * *'), t0, t0 + 3 * MIN).map((t) => (t - t0) / 1000)).toEqual([60, 120, 180]);
    expect(occurrences(parseNcrontab('*/30 * * * * *'), t0, t0 + MIN).map((t) => (t - t0) / 1000)).toEqual([30, 60]);
    expect(occurrences(parseNcrontab('0 */10 * * * *'), t0, t0 + 30 * MIN)).toHaveLength(3);
    // (after, until]: a tick exactly at `after` already happened.
    expect(occurrences(parseNcrontab('0 * * * * *'), t0, t0 + 59_999)).toEqual([]);
  });

  it('handles ranges, lists, steps from a start and cron day rules', () => {
    const weekdayMornings = parseNcrontab('0 0 7 * * 1-5');
    expect(ncrontabMatches(weekdayMornings, at('2026-11-30T07:00:00Z'))).toBe(true); // Monday
    expect(ncrontabMatches(weekdayMornings, at('2026-11-29T07:00:00Z'))).toBe(false); // Sunday
    expect(ncrontabMatches(parseNcrontab('15/20 * * * * *'), at('2026-11-30T00:00:35Z'))).toBe(true);
    expect(ncrontabMatches(parseNcrontab('15/20 * * * * *'), at('2026-11-30T00:00:05Z'))).toBe(false);
    expect(ncrontabMatches(parseNcrontab('0 0,30 9-17 * * *'), at('2026-11-30T12:30:00Z'))).toBe(true);
    // Day of month and day of week both restricted: either matches.
    const firstOrSunday = parseNcrontab('0 0 0 1 * 0');
    expect(ncrontabMatches(firstOrSunday, at('2026-12-01T00:00:00Z'))).toBe(true);
    expect(ncrontabMatches(firstOrSunday, at('2026-11-29T00:00:00Z'))).toBe(true);
    expect(ncrontabMatches(firstOrSunday, at('2026-11-30T00:00:00Z'))).toBe(false);
  });

  it.each([
    ['0 */5 * * *', /six fields/],
    ['60 * * * * *', /second "60": out of range/],
    ['0 0 24 * * *', /hour "24": out of range/],
    ['0 */0 * * * *', /minute "\*\/0": a step must be at least 1/],
    ['0 0 0 0 * *', /day "0": out of range/],
    ['0 0 0 * 13 *', /month "13"/],
    ['0 0 0 * * 7', /day-of-week "7"/],
    ['0 5-1 * * * *', /minute "5-1": out of range/],
    ['x * * * * *', /second "x": not understood/],
  ])('rejects %s, naming the field', (expression, message) => {
    expect(() => parseNcrontab(expression)).toThrow(NcrontabError);
    expect(() => parseNcrontab(expression)).toThrow(message);
  });
});
