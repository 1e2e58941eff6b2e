// Times in the policy's zone, whatever the browser's zone is: the operator reads the cluster's clock.

let tz = 'UTC';
const formats = new Map<string, Intl.DateTimeFormat>();

function fmt(name: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = tz + '|' + name;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', Object.assign({ timeZone: tz, hourCycle: 'h23' }, options));
    formats.set(key, format);
  }
  return format;
}

/** Shows times in this zone from now on; false (and UTC) when the browser does not know it. */
export function useZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    tz = zone;
    return true;
  } catch {
    tz = 'UTC';
    return false;
  }
}

/** Milliseconds since the epoch of an ISO time, NaN when it is not one. */
export function ms(iso: string): number {
  const t = Date.parse(iso);
  return isFinite(t) ? t : NaN;
}

export function hhmm(t: number): string {
  return fmt('hm', { hour: '2-digit', minute: '2-digit' }).format(t);
}

export function hhmmss(t: number): string {
  return fmt('hms', { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(t);
}

export function dayLabel(t: number): string {
  return fmt('day', { weekday: 'short', day: 'numeric', month: 'short' }).format(t);
}

function localKey(t: number): string {
  return fmt('key', { year: 'numeric', month: '2-digit', day: '2-digit' }).format(t);
}

/** "GMT+9", or '' where the browser cannot name the offset. */
export function offsetName(t: number): string {
  try {
    const p = fmt('off', { timeZoneName: 'shortOffset' })
      .formatToParts(t)
      .find((x) => x.type === 'timeZoneName');
    return p ? p.value : '';
  } catch {
    return '';
  }
}

export function minuteOfDay(t: number): number {
  let h = 0;
  let m = 0;
  for (const p of fmt('parts', { hour: 'numeric', minute: 'numeric' }).formatToParts(t)) {
    if (p.type === 'hour') h = Number(p.value) % 24;
    if (p.type === 'minute') m = Number(p.value);
  }
  return h * 60 + m;
}

/** "03:12", or "Sun 29 Nov 18:40" when it is not the same local day as the reference. */
export function when(t: number, ref: number): string {
  if (!isFinite(t)) return '—';
  return localKey(t) === localKey(ref) ? hhmm(t) : dayLabel(t) + ' ' + hhmm(t);
}

// Durations (45s, 12m, 3h 20m, 2d 4h) are said as the server says them in its figures.
export { span } from '../span';

/** The zone times are shown in now. */
export function currentZone(): string {
  return tz;
}
