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

// The timers that fire together (nodes, workers, descheduler every ten minutes) ask for the same
// instant, and Intl is the slowest part of a small tick: the last answer per time zone is kept. It
// is a memo of a pure function, keyed by every input, so it can never answer for another instant.
const lastClock = new Map<string, { now: number; holidays: ReadonlySet<string>; clock: LocalClock }>();

export function localClock(now: number, timezone: string, holidays: ReadonlySet<string>): LocalClock {
  const last = lastClock.get(timezone);
  if (last !== undefined && last.now === now && last.holidays === holidays) return { ...last.clock };
  const clock = computeLocalClock(now, timezone, holidays);
  lastClock.set(timezone, { now, holidays, clock });
  return { ...clock };
}

function computeLocalClock(now: number, timezone: string, holidays: ReadonlySet<string>): LocalClock {
  const { year, month, day, hour, minute } = localFields(now, timezone);
  return clockOnDay(year, month, day, hour * 60 + minute, holidays);
}

/**
 * The clock `minute` minutes into a local calendar day. `day` may run past the month's end (a day
 * counted on from a date): the date is then normalised as Date.UTC does.
 */
function clockOnDay(year: number, month: number, day: number, minute: number, holidays: ReadonlySet<string>): LocalClock {
  // Yesterday is the previous calendar day, not now minus 24 hours: across a DST change the two differ.
  const today = Date.UTC(year, month - 1, day);
  const yesterday = Date.UTC(year, month - 1, day - 1);
  const date = dateText(year, month, day) ?? isoDate(today);
  const dayBefore = () =>
    day > 1 ? dateText(year, month, day - 1) : month > 1 ? dateText(year, month - 1, daysIn(year, month - 1)) : dateText(year - 1, 12, 31);
  return {
    date,
    weekday: holidays.has(date) ? 0 : weekdayOf(today),
    minute,
    yesterdayWeekday: holidays.size > 0 && holidays.has(dayBefore() ?? isoDate(yesterday)) ? 0 : weekdayOf(yesterday),
  };
}

/**
 * `YYYY-MM-DD` written out, as toISOString().slice(0, 10) would have it (that costs a Date and a
 * long string, twice a tick); undefined outside years 1000–9999 or for no such date, which are
 * left to toISOString.
 */
function dateText(year: number, month: number, day: number): string | undefined {
  if (!(year >= 1000 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month))) return undefined;
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return undefined;
  return `${year}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

/** Days in a Gregorian month (1–12). */
function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

// en-US with these options prints "11/30/2026, 07:35"; format() costs half of formatToParts().
const US_DATE_TIME = /^(\d+)\/(\d+)\/(\d+), (\d+):(\d+)$/;

function localFields(now: number, timezone: string): { year: number; month: number; day: number; hour: number; minute: number } {
  const formatter = formatterFor(timezone);
  const match = US_DATE_TIME.exec(formatter.format(now));
  if (match !== null)
    return { month: Number(match[1]), day: Number(match[2]), year: Number(match[3]), hour: Number(match[4]), minute: Number(match[5]) };
  // Anything else (an ICU that prints otherwise): the labelled parts.
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(now)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts['year'] ?? NaN,
    month: parts['month'] ?? NaN,
    day: parts['day'] ?? NaN,
    hour: parts['hour'] ?? NaN,
    minute: parts['minute'] ?? NaN,
  };
}

function isoDate(utcMidnight: number): string {
  return new Date(utcMidnight).toISOString().slice(0, 10);
}

function weekdayOf(utcMidnight: number): Weekday {
  return new Date(utcMidnight).getUTCDay() as Weekday;
}

/**
 * The local clock `minutes` of wall time after `clock`, by calendar arithmetic rather than Intl (a
 * look over the coming day samples it dozens of times a tick). Across a DST change the answer is off
 * by that hour; in a zone without DST (the default, Asia/Tokyo) it is exact.
 */
export function clockAfter(clock: LocalClock, minutes: number, holidays: ReadonlySet<string>): LocalClock {
  const total = clock.minute + minutes;
  const days = Math.floor(total / 1440);
  const [year, month, day] = clock.date.split('-').map(Number) as [number, number, number];
  return clockOnDay(year, month, day + days, total - days * 1440, holidays);
}

/** Start inclusive, end exclusive; a window whose end is before its start runs past midnight into the next day. */
export function isWindowActive(w: TimeWindow, clock: LocalClock): boolean {
  if (w.startMinute < w.endMinute) {
    return w.days.has(clock.weekday) && clock.minute >= w.startMinute && clock.minute < w.endMinute;
  }
  if (w.startMinute > w.endMinute) {
    return (
      (w.days.has(clock.weekday) && clock.minute >= w.startMinute) || (w.days.has(clock.yesterdayWeekday) && clock.minute < w.endMinute)
    );
  }
  return false;
}

/**
 * A window's name as reasons give it. On a holiday (counted as a Sunday) that opens a window its
 * days alone would not, the holiday is named: otherwise "Sat-Sun … raises the minimum" on a
 * Monday reads like a bug.
 */
export function windowName(w: TimeWindow, clock: LocalClock, holidays: ReadonlySet<string>, names?: ReadonlyMap<string, string>): string {
  if (!holidays.has(clock.date)) return w.label;
  const weekday = new Date(`${clock.date}T00:00:00Z`).getUTCDay() as Weekday;
  const name = names?.get(clock.date);
  return w.days.has(weekday) ? w.label : `${w.label} (holiday ${clock.date}${name ? ` ${name}` : ''}, counted as a Sunday)`;
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
