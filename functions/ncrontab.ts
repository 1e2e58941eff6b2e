// Six-field NCRONTAB ("second minute hour day month day-of-week"), the timer trigger's schedule
// language, enough to fire the timers on their schedules outside the Functions host (the simulator)
// and to check the schedules an operator sets. UTC, as on Flex Consumption.

export interface Ncrontab {
  expression: string;
  /** Allowed values per field, indexed by value. */
  fields: readonly (readonly boolean[])[];
  /** Day of month and day of week both restricted: either may match (cron's rule). */
  eitherDay: boolean;
}

const FIELDS = [
  { name: 'second', lo: 0, hi: 59 },
  { name: 'minute', lo: 0, hi: 59 },
  { name: 'hour', lo: 0, hi: 23 },
  { name: 'day', lo: 1, hi: 31 },
  { name: 'month', lo: 1, hi: 12 },
  { name: 'day-of-week', lo: 0, hi: 6 },
] as const;

export class NcrontabError extends Error {}

/** Parses or throws an NcrontabError naming the field and what it accepts. */
export function parseNcrontab(expression: string): Ncrontab {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 6)
    throw new NcrontabError(`"${expression}": expected six fields (second minute hour day month day-of-week), got ${parts.length}`);
  const fields = parts.map((part, i) => parseField(part, FIELDS[i]!, expression));
  return { expression, fields, eitherDay: parts[3] !== '*' && parts[5] !== '*' };
}

function parseField(text: string, field: (typeof FIELDS)[number], expression: string): boolean[] {
  const allowed = new Array<boolean>(field.hi + 1).fill(false);
  const fail = (why: string) =>
    new NcrontabError(`"${expression}": ${field.name} "${text}": ${why} (values ${field.lo}-${field.hi}, *, a-b, */n, lists)`);
  for (const item of text.split(',')) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(item);
    if (!m) throw fail('not understood');
    const from = m[2] === undefined ? field.lo : Number(m[2]);
    // `5/10` means from 5 to the end in steps of 10, as in cron.
    const to = m[3] !== undefined ? Number(m[3]) : m[2] === undefined || m[4] !== undefined ? field.hi : from;
    const step = m[4] === undefined ? 1 : Number(m[4]);
    if (from < field.lo || to > field.hi || from > to) throw fail('out of range');
    if (step < 1) throw fail('a step must be at least 1');
    for (let v = from; v <= to; v += step) allowed[v] = true;
  }
  return allowed;
}

export function ncrontabMatches(cron: Ncrontab, at: Date): boolean {
  const [second, minute, hour, day, month, weekday] = cron.fields as [boolean[], boolean[], boolean[], boolean[], boolean[], boolean[]];
  if (!second[at.getUTCSeconds()] || !minute[at.getUTCMinutes()] || !hour[at.getUTCHours()] || !month[at.getUTCMonth() + 1]) return false;
  const dayOk = day[at.getUTCDate()] === true;
  const weekdayOk = weekday[at.getUTCDay()] === true;
  return cron.eitherDay ? dayOk || weekdayOk : dayOk && weekdayOk;
}

/** The schedule's occurrences in (after, until], at most `limit` (whole seconds, as the host fires). */
export function occurrences(cron: Ncrontab, after: number, until: number, limit = Infinity): number[] {
  const out: number[] = [];
  for (let t = Math.floor(after / 1000) * 1000 + 1000; t <= until && out.length < limit; t += 1000) {
    if (ncrontabMatches(cron, new Date(t))) out.push(t);
  }
  return out;
}
