// Local time for schedules, and recurring windows over it. Pure: the instant is passed in, the
// time zone and holidays come from the policy. Holidays count as Sunday, so a `Mon-Fri` window
// stays closed on a public holiday without a separate holiday calendar per window.

import type { TimeWindow, Weekday } from './policy';

export interface LocalClock {
  /** Local calendar date, `YYYY-MM-DD`. */
  date: string;
  /** 0 = Sunday; a holiday counts as 0. */
  weekday: Weekday;
  /** Minutes since local midnight. */
  minute: number;
  /** The weekday of the previous local calendar day (holiday-aware), for windows crossing midnight. */
  yesterdayWeekday: Weekday;
}

export function isValidTimeZone(tz: string): boolean {
  // Intl also accepts offsets such as "+09:00" on newer engines; the policy wants IANA names only.
  if (!/^[A-Za-z]/.test(tz)) return false;
  try {
    formatterFor(tz);
    return true;
  } catch {
    return false;
  }
}

// Building a DateTimeFormat costs far more than using one, and localClock runs on every tick for
// every scaler.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timezone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      // h23, not hour12:false: the latter prints midnight as "24" in some ICU versions.
      hourCycle: 'h23',
    });
    formatters.set(timezone, formatter);
  }
  return formatter;
}

export function localClock(now: number, timezone: string, holidays: ReadonlySet<string>): LocalClock {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timezone).formatToParts(now)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const year = parts['year'] ?? NaN;
  const month = parts['month'] ?? NaN;
  const day = parts['day'] ?? NaN;
  // Yesterday is the previous calendar day, not now minus 24 hours: across a DST change the two differ.
  const today = Date.UTC(year, month - 1, day);
  const yesterday = Date.UTC(year, month - 1, day - 1);
  const date = isoDate(today);
  return {
    date,
    weekday: holidays.has(date) ? 0 : weekdayOf(today),
    minute: (parts['hour'] ?? NaN) * 60 + (parts['minute'] ?? NaN),
    yesterdayWeekday: holidays.has(isoDate(yesterday)) ? 0 : weekdayOf(yesterday),
  };
}

function isoDate(utcMidnight: number): string {
  return new Date(utcMidnight).toISOString().slice(0, 10);
}

function weekdayOf(utcMidnight: number): Weekday {
  return new Date(utcMidnight).getUTCDay() as Weekday;
}

/** Start inclusive, end exclusive; a window whose end is before its start runs past midnight into the next day. */
export function isWindowActive(w: TimeWindow, clock: LocalClock): boolean {
  if (w.startMinute < w.endMinute) {
    return w.days.has(clock.weekday) && clock.minute >= w.startMinute && clock.minute < w.endMinute;
  }
  if (w.startMinute > w.endMinute) {
    return (
      (w.days.has(clock.weekday) && clock.minute >= w.startMinute) ||
      (w.days.has(clock.yesterdayWeekday) && clock.minute < w.endMinute)
    );
  }
  return false;
}

export function activeWindows<W extends TimeWindow>(windows: readonly W[], clock: LocalClock): W[] {
  return windows.filter((w) => isWindowActive(w, clock));
}

const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

function dayNumber(name: string): Weekday | undefined {
  const index = DAY_NAMES.indexOf(name.trim().toLowerCase() as (typeof DAY_NAMES)[number]);
  return index < 0 ? undefined : (index as Weekday);
}

/**
 * `Mon-Fri`, `Mon,Wed,Fri`, `Fri-Mon` (a range wraps past Saturday), `Sun`, `daily` or `*`;
 * day names are case-insensitive. Undefined when the text is none of these.
 */
export function parseDays(text: string): ReadonlySet<Weekday> | undefined {
  const whole = text.trim().toLowerCase();
  if (whole === 'daily' || whole === '*') return new Set<Weekday>([0, 1, 2, 3, 4, 5, 6]);
  const days = new Set<Weekday>();
  for (const item of text.split(',')) {
    const ends = item.split('-');
    const first = ends[0] === undefined ? undefined : dayNumber(ends[0]);
    const last = ends.length === 2 && ends[1] !== undefined ? dayNumber(ends[1]) : first;
    if (first === undefined || last === undefined || ends.length > 2) return undefined;
    for (let d = first; ; d = ((d + 1) % 7) as Weekday) {
      days.add(d);
      if (d === last) break;
    }
  }
  return days;
}

const HOURS = /^(\d\d):(\d\d)-(\d\d):(\d\d)$/;

/**
 * `HH:MM-HH:MM` in 24-hour time, as minutes since midnight. `24:00` is accepted only as the end.
 * An empty window (start equal to end) is returned as parsed; the validator refuses it with its
 * own message.
 */
export function parseHours(text: string): { startMinute: number; endMinute: number } | undefined {
  const match = HOURS.exec(text.trim());
  if (match === null) return undefined;
  const [sh, sm, eh, em] = match.slice(1).map(Number) as [number, number, number, number];
  if (sh > 23 || sm > 59 || em > 59 || eh > 24 || (eh === 24 && em !== 0)) return undefined;
  return { startMinute: sh * 60 + sm, endMinute: eh * 60 + em };
}
