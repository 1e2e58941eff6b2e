// RFC 3339 timestamps, read by hand: the projections read three per pod.

function digitAt(text: string, index: number): number {
  const code = text.charCodeAt(index) - 48;
  return code >= 0 && code <= 9 ? code : Number.NaN;
}

function numberAt(text: string, start: number, length: number): number {
  let n = 0;
  for (let i = start; i < start + length; i++) n = n * 10 + digitAt(text, i);
  return n;
}

/**
 * `2026-11-01T00:00:00Z`, `…00.123456Z`, `…00+09:00` as epoch milliseconds; undefined otherwise.
 * Read by hand: a regex and Date.parse cost a microsecond per timestamp, and a pod has three
 * (Date.parse would also take "Nov 1" for a time).
 */
export function parseRfc3339(text: string): number | undefined {
  if (text.length < 20) return undefined;
  const sep = text.charCodeAt(10);
  if (
    text.charCodeAt(4) !== 45 || // -
    text.charCodeAt(7) !== 45 ||
    (sep !== 84 && sep !== 116 && sep !== 32) || // T t space
    text.charCodeAt(13) !== 58 || // :
    text.charCodeAt(16) !== 58
  ) {
    return undefined;
  }
  const year = numberAt(text, 0, 4);
  const month = numberAt(text, 5, 2);
  const day = numberAt(text, 8, 2);
  const hour = numberAt(text, 11, 2);
  const minute = numberAt(text, 14, 2);
  const second = numberAt(text, 17, 2);
  let i = 19;
  let millis = 0;
  if (text.charCodeAt(i) === 46) {
    // Fractional seconds: keep milliseconds, ignore finer digits.
    i++;
    const start = i;
    let scale = 100;
    while (i < text.length && !Number.isNaN(digitAt(text, i))) {
      millis += digitAt(text, i) * scale;
      scale /= 10;
      i++;
    }
    if (i === start) return undefined;
    millis = Math.floor(millis);
  }
  let offsetMinutes = 0;
  const zone = text.charCodeAt(i);
  if (zone === 90 || zone === 122) {
    i++; // Z z
  } else if ((zone === 43 || zone === 45) && text.length === i + 6 && text.charCodeAt(i + 3) === 58) {
    offsetMinutes = (zone === 45 ? -1 : 1) * (numberAt(text, i + 1, 2) * 60 + numberAt(text, i + 4, 2));
    i += 6;
  } else {
    return undefined;
  }
  if (i !== text.length || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return undefined;
  }
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
  // A non-digit anywhere made its field NaN, which every range check above let through.
  return Number.isNaN(ms) ? undefined : ms;
}
