import { describe, expect, it } from 'vitest';
import { parseTraceCsv, referenceTraffic, TraceError, HOUR } from '../../../sim/scenario/traffic';

describe('reference traffic', () => {
  it('is the same for a seed, different for another', () => {
    const a = referenceTraffic({ days: 1, seed: 3 });
    const b = referenceTraffic({ days: 1, seed: 3 });
    const c = referenceTraffic({ days: 1, seed: 4 });
    expect(a.jobs).toEqual(b.jobs);
    expect([...a.mdmRps]).toEqual([...b.mdmRps]);
    expect(a.jobs).not.toEqual(c.jobs);
  });

  it('has the B2B shape: a busy weekday morning, a quiet night, a quiet holiday and weekend', () => {
    const t = referenceTraffic({ days: 7, seed: 1 });
    const at = (iso: string) => t.mdmRps[Math.floor((Date.parse(iso) - t.start) / t.stepMs)]!;
    const tuesdayMorning = at('2026-11-24T08:30:00+09:00');
    expect(tuesdayMorning).toBeGreaterThan(5 * at('2026-11-24T03:00:00+09:00'));
    expect(tuesdayMorning).toBeGreaterThan(3 * at('2026-11-23T08:30:00+09:00')); // Labor Thanksgiving Day
    expect(tuesdayMorning).toBeGreaterThan(3 * at('2026-11-28T10:00:00+09:00')); // Saturday
    expect(t.batchStarts).toHaveLength(7);
    const durations = t.jobs.map((j) => j.durationMs);
    expect(Math.min(...durations)).toBeLessThan(1000);
    expect(Math.max(...durations)).toBeGreaterThan(10 * HOUR);
  });
});

describe('trace CSV', () => {
  const csv = [
    'time,mdm_rps,bg_jobs',
    '# a comment',
    '2026-11-24T00:00:00+09:00,10,0',
    '2026-11-24T01:00:00+09:00,50,120',
    '',
    '2026-11-24T02:00:00+09:00,20,6',
  ].join('\n');

  it('resamples the rate and spreads the jobs over their interval', () => {
    const t = parseTraceCsv(csv, 'trace.csv', { seed: 1, stepMs: 60_000 });
    expect(t.start).toBe(Date.parse('2026-11-24T00:00:00+09:00'));
    expect(t.end).toBe(Date.parse('2026-11-24T03:00:00+09:00'));
    expect(t.mdmRps).toHaveLength(180);
    expect(t.mdmRps[0]).toBe(10);
    expect(t.mdmRps[60]).toBe(50);
    expect(t.mdmRps[179]).toBe(20);
    expect(t.jobs).toHaveLength(126);
    expect(t.jobs.filter((j) => j.at < t.start + HOUR)).toHaveLength(0);
    expect(t.jobs.every((j, i) => i === 0 || j.at >= t.jobs[i - 1]!.at)).toBe(true);
  });

  it.each([
    ['time,rps,jobs\n', /trace.csv:1: expected the header/],
    [
      'time,mdm_rps,bg_jobs\n2026-11-24T00:00:00,1,1\n2026-11-24T01:00:00+09:00,1,1',
      /trace.csv:2: time: expected an RFC 3339 time with an offset/,
    ],
    ['time,mdm_rps,bg_jobs\n2026-11-24T00:00:00Z,-1,1\n2026-11-24T01:00:00Z,1,1', /mdm_rps: expected a number ≥ 0, got "-1"/],
    ['time,mdm_rps,bg_jobs\n2026-11-24T00:00:00Z,1,1.5\n2026-11-24T01:00:00Z,1,1', /bg_jobs: expected an integer ≥ 0, got "1.5"/],
    ['time,mdm_rps,bg_jobs\n2026-11-24T01:00:00Z,1,1\n2026-11-24T00:00:00Z,1,1', /trace.csv:3: time .* is not after the previous row's/],
    ['time,mdm_rps,bg_jobs\n2026-11-24T01:00:00Z,1', /expected 3 columns/],
    ['time,mdm_rps,bg_jobs\n2026-11-24T01:00:00Z,1,1', /at least 2 rows/],
    ['', /empty trace/],
  ])('refuses %j', (text, message) => {
    expect(() => parseTraceCsv(text, 'trace.csv')).toThrow(TraceError);
    expect(() => parseTraceCsv(text, 'trace.csv')).toThrow(message);
  });
});
