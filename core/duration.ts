// Durations as people write them in the policy (`30s`, `10m`, `1h30m`) and as reasons print them.
// Units must come largest first and at most once each, so `10m` can never be misread as months
// and a typo like `5m5m` is refused instead of silently summed.

const MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1 } as const;
type Unit = keyof typeof MS;
const UNITS: readonly Unit[] = ['d', 'h', 'm', 's', 'ms'];

// `m(?!s)`: minutes must not swallow the `m` of a trailing `ms`.
const DURATION = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** Milliseconds for `500ms`, `30s`, `10m`, `20h`, `2d` or a compound such as `1h30m`; undefined otherwise. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (match === null || text === '') return undefined;
  let total = 0;
  UNITS.forEach((unit, i) => {
    const digits = match[i + 1];
    if (digits !== undefined) total += Number(digits) * MS[unit];
  });
  return Number.isSafeInteger(total) ? total : undefined;
}

/** The shortest form `parseDuration` reads back to the same value: `90000` → `1m30s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  let rest = Math.round(Math.abs(ms));
  if (rest === 0) return '0s';
  let text = '';
  for (const unit of UNITS) {
    const count = Math.floor(rest / MS[unit]);
    if (count > 0) text += `${count}${unit}`;
    rest -= count * MS[unit];
  }
  return ms < 0 ? `-${text}` : text;
}
