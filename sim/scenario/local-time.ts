// Times as an operator reads the policy's schedule: in the policy's zone, with the weekday, because
// "Tue 08:30" says whether it was the morning surge and "2026-11-23T23:30:00.000Z" does not.

/** A formatter of epoch ms to "Tue 2026-11-24 08:30" in `timezone` (build once, call often: Intl is slow to build). */
export function localTimeFormatter(timezone: string): (at: number) => string {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    hourCycle: 'h23',
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
  return (at) => {
    const p = Object.fromEntries(format.formatToParts(at).map((x) => [x.type, x.value]));
    return `${p.weekday} ${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
  };
}

/** "Tue 2026-11-24 08:30 Asia/Tokyo": one time, with its zone named. */
export function formatLocalTime(at: number, timezone: string): string {
  return `${localTimeFormatter(timezone)(at)} ${timezone}`;
}
