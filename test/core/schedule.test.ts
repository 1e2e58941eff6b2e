import { describe, expect, it } from 'vitest';
import type { TimeWindow, Weekday } from '../../core/policy';
import {
  activeWindows,
  clockAfter,
  isValidTimeZone,
  isWindowActive,
  localClock,
  parseDays,
  parseHours,
  windowName,
} from '../../core/schedule';

// Monday morning in Tokyo, the seed's reference instant.
const NOW = Date.parse('2026-11-30T07:35:00+09:00');
const TOKYO = 'Asia/Tokyo';
const HOLIDAYS: ReadonlySet<string> = new Set(['2026-12-31', '2027-01-01', '2027-01-02', '2027-01-11']);
const NONE: ReadonlySet<string> = new Set();

function win(days: string, hours: string): TimeWindow {
  const d = parseDays(days);
  const h = parseHours(hours);
  if (d === undefined || h === undefined) throw new Error(`bad window in test: ${days} ${hours}`);
  return { label: `${days} ${hours}`, days: d, ...h };
}

function sorted(days: ReadonlySet<Weekday> | undefined): Weekday[] | undefined {
  return days === undefined ? undefined : [...days].sort();
}

describe('isValidTimeZone', () => {
  it.each([
    ['Asia/Tokyo', true],
    ['America/New_York', true],
    ['Europe/Berlin', true],
    ['UTC', true],
    ['Tokyo', false],
    ['Asia/Tokio', false],
    ['+09:00', false],
    ['', false],
  ])('%j is %s', (tz, valid) => {
    expect(isValidTimeZone(tz)).toBe(valid);
  });
});

describe('localClock', () => {
  it.each([
    ['Tokyo on the pinned Monday morning', NOW, TOKYO, NONE, { date: '2026-11-30', weekday: 1, minute: 455, yesterdayWeekday: 0 }],
    [
      'the same instant in New York is still Sunday evening',
      NOW,
      'America/New_York',
      NONE,
      { date: '2026-11-29', weekday: 0, minute: 1055, yesterdayWeekday: 6 },
    ],
    [
      'local midnight is minute 0 of the new day',
      '2026-12-01T00:00:00+09:00',
      TOKYO,
      NONE,
      { date: '2026-12-01', weekday: 2, minute: 0, yesterdayWeekday: 1 },
    ],
    [
      'one minute before midnight is minute 1439',
      '2026-11-30T23:59:59+09:00',
      TOKYO,
      NONE,
      { date: '2026-11-30', weekday: 1, minute: 1439, yesterdayWeekday: 0 },
    ],
    [
      'a holiday on a Monday counts as Sunday',
      '2027-01-11T10:00:00+09:00',
      TOKYO,
      HOLIDAYS,
      { date: '2027-01-11', weekday: 0, minute: 600, yesterdayWeekday: 0 },
    ],
    [
      'the day after a holiday has a Sunday yesterday',
      '2027-01-12T00:30:00+09:00',
      TOKYO,
      HOLIDAYS,
      { date: '2027-01-12', weekday: 2, minute: 30, yesterdayWeekday: 0 },
    ],
    [
      'yesterday crosses the year boundary',
      '2027-01-04T01:00:00+09:00',
      TOKYO,
      NONE,
      { date: '2027-01-04', weekday: 1, minute: 60, yesterdayWeekday: 0 },
    ],
    // The fall-back day has 25 hours: 24 hours earlier is still the same Sunday.
    [
      'New York late on the fall-back Sunday: yesterday is Saturday',
      '2026-11-01T23:30:00-05:00',
      'America/New_York',
      NONE,
      { date: '2026-11-01', weekday: 0, minute: 1410, yesterdayWeekday: 6 },
    ],
    // The spring-forward day has 23 hours: 24 hours earlier is already Saturday.
    [
      'New York just after the spring-forward Sunday: yesterday is Sunday',
      '2026-03-09T00:30:00-04:00',
      'America/New_York',
      NONE,
      { date: '2026-03-09', weekday: 1, minute: 30, yesterdayWeekday: 0 },
    ],
    [
      'Berlin skips 02:00-03:00 when summer time starts',
      '2026-03-29T01:00:00Z',
      'Europe/Berlin',
      NONE,
      { date: '2026-03-29', weekday: 0, minute: 180, yesterdayWeekday: 6 },
    ],
    [
      'Berlin first 02:30 when summer time ends',
      '2026-10-25T00:30:00Z',
      'Europe/Berlin',
      NONE,
      { date: '2026-10-25', weekday: 0, minute: 150, yesterdayWeekday: 6 },
    ],
    [
      'Berlin second 02:30 when summer time ends',
      '2026-10-25T01:30:00Z',
      'Europe/Berlin',
      NONE,
      { date: '2026-10-25', weekday: 0, minute: 150, yesterdayWeekday: 6 },
    ],
  ] as const)('%s', (_name, at, tz, holidays, expected) => {
    const now = typeof at === 'number' ? at : Date.parse(at);
    expect(localClock(now, tz, holidays)).toEqual(expected);
  });

  it('agrees with the labelled parts Intl gives, across zones, offsets and a century or two', () => {
    const reference = (now: number, tz: string): { date: string; minute: number } => {
      const format = new Intl.DateTimeFormat('en-US', {
        timeZone: tz,
        calendar: 'gregory',
        numberingSystem: 'latn',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        hourCycle: 'h23',
      });
      const p: Record<string, number> = {};
      for (const part of format.formatToParts(now)) if (part.type !== 'literal') p[part.type] = Number(part.value);
      return {
        date: new Date(Date.UTC(p['year']!, p['month']! - 1, p['day']!)).toISOString().slice(0, 10),
        minute: p['hour']! * 60 + p['minute']!,
      };
    };
    const zones = [
      TOKYO,
      'America/New_York',
      'Europe/Berlin',
      'Australia/Lord_Howe',
      'Asia/Kathmandu',
      'Pacific/Chatham',
      'America/St_Johns',
      'UTC',
    ];
    let t = Date.UTC(1950, 0, 1);
    for (let i = 0; i < 3000; i++) {
      t += 1_000_003 * 2_207; // about 25 days and a few seconds: every hour of the day and day of the year comes round
      const tz = zones[i % zones.length]!;
      const clock = localClock(t, tz, NONE);
      expect({ date: clock.date, minute: clock.minute }).toEqual(reference(t, tz));
    }
  });

  it('answers each question afresh: another holiday list for the same instant, and a copy it does not share', () => {
    const holiday = Date.parse('2027-01-11T10:00:00+09:00');
    const plain = localClock(holiday, TOKYO, NONE);
    expect(plain.weekday).toBe(1);
    expect(localClock(holiday, TOKYO, HOLIDAYS).weekday).toBe(0);
    plain.weekday = 5;
    expect(localClock(holiday, TOKYO, NONE).weekday).toBe(1);
  });
});

describe('clockAfter', () => {
  const TOKYO = 'Asia/Tokyo';
  it.each([
    ['2026-11-30T21:05:00+09:00', 30],
    ['2026-11-30T21:05:00+09:00', 24 * 60],
    ['2026-12-31T23:40:00+09:00', 45],
    ['2027-02-28T12:00:00+09:00', 18 * 60],
    ['2026-12-30T20:00:00+09:00', 6 * 60],
  ])('from %s plus %i minutes agrees with localClock (holidays counted as Sunday)', (start, minutes) => {
    const holidays = new Set(['2026-12-31', '2027-01-01']);
    const now = Date.parse(start);
    expect(clockAfter(localClock(now, TOKYO, holidays), minutes, holidays)).toEqual(localClock(now + minutes * 60_000, TOKYO, holidays));
  });
});

describe('isWindowActive', () => {
  it.each([
    ['a weekday window is closed just before its start', 'Mon-Fri', '07:30-21:00', '2026-11-30T07:29', false],
    ['a weekday window opens at its start minute', 'Mon-Fri', '07:30-21:00', '2026-11-30T07:30', true],
    ['a weekday window is open in its last minute', 'Mon-Fri', '07:30-21:00', '2026-11-30T20:59', true],
    ['a weekday window is closed at its end minute', 'Mon-Fri', '07:30-21:00', '2026-11-30T21:00', false],
    ['a weekday window is closed on Saturday', 'Mon-Fri', '07:30-21:00', '2026-12-05T10:00', false],
    ['a night window is closed before it starts', 'Mon', '22:00-06:00', '2026-11-30T21:59', false],
    ['a night window opens on its start day', 'Mon', '22:00-06:00', '2026-11-30T22:00', true],
    ['a night window is open just before midnight', 'Mon', '22:00-06:00', '2026-11-30T23:59', true],
    ['a night window is open at midnight of the next day', 'Mon', '22:00-06:00', '2026-12-01T00:00', true],
    ['a night window is open until its end the next morning', 'Mon', '22:00-06:00', '2026-12-01T05:59', true],
    ['a night window closes at its end the next morning', 'Mon', '22:00-06:00', '2026-12-01T06:00', false],
    ['a night window does not start again on a day not listed', 'Mon', '22:00-06:00', '2026-12-01T22:00', false],
    ['a night window is not open on the morning of its start day', 'Mon', '22:00-06:00', '2026-11-30T03:00', false],
    ['a Friday night window runs into Saturday', 'Fri', '22:00-06:00', '2026-12-05T03:00', true],
    ['a whole-day window is open at 23:59', 'Sat-Sun', '00:00-24:00', '2026-12-06T23:59', true],
    ['a whole-day window is closed at Monday 00:00', 'Sat-Sun', '00:00-24:00', '2026-12-07T00:00', false],
    ['a window ending at 24:00 does not spill into the next day', 'Mon', '20:00-24:00', '2026-12-01T00:00', false],
    ['a fused range wraps past Saturday', 'Fri-Mon', '09:00-18:00', '2026-12-06T10:00', true],
    ['a weekday window stays closed on a Monday holiday', 'Mon-Fri', '07:30-21:00', '2027-01-11T10:00', false],
    ['a weekend window opens on a Monday holiday', 'Sat-Sun', '09:00-18:00', '2027-01-11T10:00', true],
    ['a weekday night window is open the evening before a holiday', 'Mon-Fri', '22:00-06:00', '2026-12-30T23:00', true],
    ['a weekday night window started before a holiday runs into the holiday', 'Mon-Fri', '22:00-06:00', '2026-12-31T03:00', true],
    ['a weekday night window does not start on a holiday', 'Mon-Fri', '22:00-06:00', '2026-12-31T23:00', false],
    ['a weekday night window does not run into the day after a holiday', 'Mon-Fri', '22:00-06:00', '2027-01-01T03:00', false],
    ['a Sunday night window starts on a Monday holiday', 'Sun', '22:00-06:00', '2027-01-11T23:00', true],
    ['a Sunday night window started on a holiday runs into the next morning', 'Sun', '22:00-06:00', '2027-01-12T03:00', true],
    ['a Sunday night window does not start on an ordinary Monday', 'Sun', '22:00-06:00', '2027-01-04T23:00', false],
  ])('%s', (_name, days, hours, local, active) => {
    const clock = localClock(Date.parse(`${local}:00+09:00`), TOKYO, HOLIDAYS);
    expect(isWindowActive(win(days, hours), clock)).toBe(active);
  });

  it.each([
    // 2026-03-09 00:30 EDT is 23 hours after Saturday 00:30 EST: only the calendar says "Sunday".
    ['a Sunday night window runs into Monday after spring-forward', 'Sun', '22:00-06:00', '2026-03-09T00:30:00-04:00', true],
    ['a Saturday night window has ended by Monday after spring-forward', 'Sat', '22:00-06:00', '2026-03-09T00:30:00-04:00', false],
    ['a window spanning the skipped hour is open after the jump', 'Sun', '01:00-04:00', '2026-03-08T03:30:00-04:00', true],
    ['a window inside the skipped hour never opens', 'Sun', '02:00-02:30', '2026-03-08T03:00:00-04:00', false],
  ])('%s (America/New_York)', (_name, days, hours, instant, active) => {
    const clock = localClock(Date.parse(instant), 'America/New_York', NONE);
    expect(isWindowActive(win(days, hours), clock)).toBe(active);
  });

  it('treats an empty window as never open', () => {
    const empty: TimeWindow = { label: 'daily 08:00-08:00', days: new Set([0, 1, 2, 3, 4, 5, 6]), startMinute: 480, endMinute: 480 };
    expect(isWindowActive(empty, localClock(Date.parse('2026-11-30T08:00:00+09:00'), TOKYO, NONE))).toBe(false);
  });
});

describe('activeWindows', () => {
  it('returns the open windows themselves, in order', () => {
    const day = { ...win('Mon-Fri', '07:30-21:00'), minNodes: 5 };
    const weekend = { ...win('Sat-Sun', '09:00-18:00'), minNodes: 3 };
    const early = { ...win('daily', '06:00-08:00'), minNodes: 4 };
    const active = activeWindows([day, weekend, early], localClock(NOW, TOKYO, NONE));
    expect(active).toEqual([day, early]);
    expect(active[0]).toBe(day);
  });
});

describe('windowName', () => {
  // Monday 11 January 2027, Coming of Age Day: a holiday, counted as a Sunday.
  const HOLIDAY = Date.parse('2027-01-11T10:00:00+09:00');
  const weekend = win('Sat-Sun', '09:00-18:00');
  const daily = win('daily', '06:00-20:00');

  it('names the holiday when it is why a window applies', () => {
    const clock = localClock(HOLIDAY, TOKYO, HOLIDAYS);
    expect(isWindowActive(weekend, clock)).toBe(true);
    expect(windowName(weekend, clock, HOLIDAYS)).toBe('Sat-Sun 09:00-18:00 (holiday 2027-01-11, counted as a Sunday)');
  });

  it("gives the holiday's name when the policy has one", () => {
    const names = new Map([['2027-01-11', '成人の日 (Coming of Age Day)']]);
    expect(windowName(weekend, localClock(HOLIDAY, TOKYO, HOLIDAYS), HOLIDAYS, names)).toBe(
      'Sat-Sun 09:00-18:00 (holiday 2027-01-11 成人の日 (Coming of Age Day), counted as a Sunday)',
    );
  });

  it('keeps the label when the window applies anyway, or on an ordinary day', () => {
    expect(windowName(daily, localClock(HOLIDAY, TOKYO, HOLIDAYS), HOLIDAYS)).toBe('daily 06:00-20:00');
    expect(windowName(weekend, localClock(HOLIDAY, TOKYO, NONE), NONE)).toBe('Sat-Sun 09:00-18:00');
  });
});

describe('parseDays', () => {
  it.each([
    ['Mon-Fri', [1, 2, 3, 4, 5]],
    ['Sat-Sun', [0, 6]],
    ['Mon,Wed,Fri', [1, 3, 5]],
    ['Mon, Wed', [1, 3]],
    ['Fri-Mon', [0, 1, 5, 6]],
    ['Sat-Mon,Wed', [0, 1, 3, 6]],
    ['Sun', [0]],
    ['Tue-Tue', [2]],
    ['mon-FRI', [1, 2, 3, 4, 5]],
    ['daily', [0, 1, 2, 3, 4, 5, 6]],
    ['Daily', [0, 1, 2, 3, 4, 5, 6]],
    ['*', [0, 1, 2, 3, 4, 5, 6]],
  ])('reads %j', (text, days) => {
    expect(sorted(parseDays(text))).toEqual(days);
  });

  it.each([[''], ['Monday'], ['Mon-'], ['-Fri'], ['Mon-Wed-Fri'], ['Mon,,Tue'], ['weekdays'], ['1-5'], ['*,Mon']])('refuses %j', (text) => {
    expect(parseDays(text)).toBeUndefined();
  });
});

describe('parseHours', () => {
  it.each([
    ['07:30-21:00', 450, 1260],
    ['22:00-06:00', 1320, 360],
    ['00:00-24:00', 0, 1440],
    ['23:59-00:00', 1439, 0],
    ['08:00-08:00', 480, 480],
  ])('reads %j', (text, startMinute, endMinute) => {
    expect(parseHours(text)).toEqual({ startMinute, endMinute });
  });

  it.each([
    ['25:00-06:00'],
    ['24:00-06:00'],
    ['07:60-08:00'],
    ['07:30-24:30'],
    ['07:30-25:00'],
    ['7:30-21:00'],
    ['07:30 - 21:00'],
    ['07:30'],
    ['0730-2100'],
    ['07.30-21.00'],
  ])('refuses %j', (text) => {
    expect(parseHours(text)).toBeUndefined();
  });
});
