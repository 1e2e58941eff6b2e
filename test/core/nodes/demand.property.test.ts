// The demand profile over random histories: a slot keeps exactly its last five peaks, newest first;
// its level is one of them, never above the highest; and no half of the days or fewer — however far
// above the others — moves the level up (a spike on one of two days, or two of five, is not a pattern).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { learnDemand, levelOf, PEAKS_KEPT } from '../../../core/nodes/demand';
import { localClock } from '../../../core/schedule';
import { buildMemory } from '../../builders/views';

const MONDAY = Date.parse('2026-11-30T00:00:00+09:00');
const DAY = 86_400_000;

/** Working days from Monday 2026-11-30 on (weekends skipped), at 07:40, and the next slot's tick that folds them. */
function workingDay(i: number): number {
  const week = Math.floor(i / 5);
  return MONDAY + (week * 7 + (i % 5)) * DAY + (7 * 60 + 40) * 60_000;
}

/** Every set of `k` indices below `n`. */
function subsets(n: number, k: number): number[][] {
  if (k === 0) return [[]];
  const out: number[][] = [];
  for (let first = 0; first < n; first++)
    for (const rest of subsets(n, k - 1)) if (rest.every((r) => r > first)) out.push([first, ...rest]);
  return out;
}

const peaksArb = fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 14 });

describe('demand profile over random histories', () => {
  it('keeps the last five peaks newest first, and learns their level', () => {
    fc.assert(
      fc.property(peaksArb, (peaks) => {
        const memory = buildMemory().nodes;
        peaks.forEach((peak, i) => {
          learnDemand(memory, localClock(workingDay(i), 'Asia/Tokyo', new Set()), peak);
          learnDemand(memory, localClock(workingDay(i) + 20 * 60_000, 'Asia/Tokyo', new Set()), 0);
        });
        const kept = peaks.slice(-PEAKS_KEPT).reverse();
        kept.forEach((p, i) => expect(memory.demand?.[`work:07:30@${i}`]).toBe(p));
        expect(memory.demand?.[`work:07:30@${kept.length}`]).toBeUndefined();
        expect(memory.demand?.['work:07:30']).toBe(levelOf(kept));
      }),
      { numRuns: 200 },
    );
  });

  it('a level is one of its peaks and never above the highest; half of the days or fewer, raised to any height, do not move it up', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: PEAKS_KEPT }),
        fc.integer({ min: 0, max: 1000 }),
        (peaks, spike) => {
          const level = levelOf(peaks);
          expect(peaks).toContain(level);
          expect(level).toBeLessThanOrEqual(Math.max(...peaks));
          // Any half of the days or fewer (one of two or three, two of four or five) raised to any
          // height (spikes) leaves the level at most the highest of the others.
          const half = Math.floor(peaks.length / 2);
          for (const spiked of subsets(peaks.length, half)) {
            const raised = peaks.map((p, j) => (spiked.includes(j) ? Math.max(p, spike) : p));
            const others = peaks.filter((_, j) => !spiked.includes(j));
            expect(levelOf(raised)).toBeLessThanOrEqual(Math.max(...others));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
