// The suite's checks: weekday morning surges from the per-step pending pods, and the verdicts.

import { describe, expect, it } from 'vitest';
import { morningSurges } from '../../../sim/scenario/suite';
import { HOUR, MINUTE } from '../../../sim/scenario/traffic';

const MONDAY = Date.parse('2026-11-30T00:00:00+09:00');

function series(days: number, pendingAt: readonly number[]) {
  const stepMs = 30_000;
  const pending = new Uint16Array((days * 24 * HOUR) / stepMs);
  for (const t of pendingAt) pending[(t - MONDAY) / stepMs] = 1;
  return { series: { start: MONDAY, stepMs, pending } } as never;
}

describe('morningSurges', () => {
  const policy = { timezone: 'Asia/Tokyo', holidays: new Set(['2026-12-02']) };

  it('counts the weekdays (not weekends or holidays) with no pod pending from 07:00 to 10:00', () => {
    const at = (day: number, h: number, m = 0) => MONDAY + day * 24 * HOUR + h * HOUR + m * MINUTE;
    const r = series(7, [
      at(0, 8, 30), // Monday: a pod waits at the surge
      at(1, 6, 59), // Tuesday: before the window
      at(1, 10, 0), // Tuesday: after it
      at(2, 8, 0), // Wednesday is a holiday: not a weekday
      at(5, 8, 0), // Saturday
    ]);
    expect(morningSurges(r, policy)).toEqual({ weekdays: 4, met: 3 });
  });
});
