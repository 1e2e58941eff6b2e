import { describe, expect, it } from 'vitest';
import { live, liveStart, parseLiveArgs } from '../../cli/live';
import { simPolicy } from '../../sim/scenario/simulation';

describe('npm start arguments', () => {
  it('defaults to five simulated minutes a second (a day in under five minutes) on port 7071 through a week, serving on', () => {
    expect(parseLiveArgs([])).toEqual({
      speed: 300,
      days: undefined,
      port: 7071,
      seed: 1,
      policy: undefined,
      trace: undefined,
      exit: false,
      verbose: false,
    });
    expect(parseLiveArgs(['--speed', 'max', '--port', '0', '--days', '2', '--exit'])).toMatchObject({
      speed: Infinity,
      port: 0,
      days: 2,
      exit: true,
    });
  });

  it.each([
    [['--speed', '0'], '--speed: expected a whole number from 1 to 1000000, got "0"'],
    [['--speed', 'fast'], '--speed: expected a whole number from 1 to 1000000, got "fast"'],
    [['--port', '70000'], '--port: expected a port number from 0 to 65535, got "70000"'],
    [['--days', '40'], '--days: expected a whole number from 1 to 31, got "40"'],
  ])('refuses %j with exit status 2, naming the flag', async (argv, message) => {
    const out: string[] = [];
    const err: string[] = [];
    expect(
      await live(
        argv,
        (t) => out.push(t),
        (t) => err.push(t),
      ),
    ).toBe(2);
    expect(err.join('')).toContain(`start: ${message}`);
    expect(out).toEqual([]);
  });

  it('names a policy file it cannot read', async () => {
    const err: string[] = [];
    expect(
      await live(
        ['--policy', '/nonexistent/policy.yaml'],
        () => {},
        (t) => err.push(t),
      ),
    ).toBe(2);
    expect(err.join('')).toMatch(/^start: .*\/nonexistent\/policy\.yaml/);
  });
});

describe('where npm start begins', () => {
  it("at 04:00 on the reference week's first weekday that is not a holiday: Tuesday, after Monday's holiday", () => {
    expect(liveStart(simPolicy())).toBe(Date.parse('2026-11-24T04:00:00+09:00'));
  });

  it("skips the policy's own holidays, in the policy's zone", () => {
    expect(liveStart({ timezone: 'Asia/Tokyo', holidays: new Set(['2026-11-24', '2026-11-25']) })).toBe(
      Date.parse('2026-11-26T04:00:00+09:00'),
    );
    expect(liveStart({ timezone: 'America/New_York', holidays: new Set() })).toBe(Date.parse('2026-11-24T04:00:00-05:00'));
    expect(liveStart({ timezone: 'Asia/Kolkata', holidays: new Set() })).toBe(Date.parse('2026-11-24T04:00:00+05:30'));
  });
});
