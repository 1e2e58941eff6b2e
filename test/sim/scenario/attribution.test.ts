// Where the node-hours went: each billed node at each step given to exactly one reason, in order.

import { describe, expect, it } from 'vitest';
import { attributeHours, attributeSteps, REASONS, windowMax, type StepRecord } from '../../../sim/scenario/attribution';
import { SeededRandom } from '../../../sim/model/random';

describe('windowMax', () => {
  it('takes the maximum over the steps before or after each step', () => {
    const v = [1, 5, 2, 0, 3];
    expect([...windowMax(v, -2, -1)]).toEqual([-Infinity, 1, 5, 5, 2]);
    expect([...windowMax(v, 1, 2)]).toEqual([5, 2, 3, 3, -Infinity]);
  });
});

function record(rows: readonly (readonly [number, number, number, number, number])[]): StepRecord {
  const col = (k: number) => rows.map((r) => r[k]!);
  return { billed: col(0), need: col(1), target: col(2), minimum: col(3), cordoned: col(4) };
}

describe('attributeSteps', () => {
  it('fills the reasons in order, each up to its own count', () => {
    // billed, need, target, minimum, cordoned
    const r = record([
      [10, 4, 5, 7, 2], // needed 4, headroom 1, schedule 2, draining 2, other 1
      [3, 4, 5, 0, 0], // fewer billed than needed: all needed
      [9, 2, 2, 2, 1], // desired fell from 7: draining 1, delay 5, other 1
      [6, 2, 2, 2, 0], // desired 7 two steps back is out of the 1-step delay; 5 ahead: early 3, other 1
      [5, 5, 5, 5, 0],
    ]);
    const out = attributeSteps(r, { delaySteps: 1, lookaheadSteps: 1 });
    const row = (i: number) => Object.fromEntries(REASONS.map((k) => [k, out[k][i]]));
    expect(row(0)).toEqual({ needed: 4, headroom: 1, schedule: 2, draining: 2, delay: 0, early: 0, other: 1 });
    expect(row(1)).toEqual({ needed: 3, headroom: 0, schedule: 0, draining: 0, delay: 0, early: 0, other: 0 });
    expect(row(2)).toEqual({ needed: 2, headroom: 0, schedule: 0, draining: 1, delay: 3, early: 0, other: 3 });
    expect(row(3)).toEqual({ needed: 2, headroom: 0, schedule: 0, draining: 0, delay: 0, early: 3, other: 1 });
    expect(row(4)).toEqual({ needed: 5, headroom: 0, schedule: 0, draining: 0, delay: 0, early: 0, other: 0 });
  });

  it("sums to the billed nodes at every step, so to the run's node-hours", () => {
    const random = new SeededRandom(15);
    const n = 500;
    const rows = Array.from(
      { length: n },
      () => [0, 1, 2, 3, 4].map(() => Math.floor(random.next() * 20)) as unknown as [number, number, number, number, number],
    );
    const r = record(rows);
    const out = attributeSteps(r, { delaySteps: 20, lookaheadSteps: 60 });
    for (let i = 0; i < n; i++) expect(REASONS.reduce((s, k) => s + out[k][i]!, 0)).toBe(r.billed[i]);
    const hours = attributeHours(out, 30_000);
    const billedHours = rows.reduce((s, row) => s + row[0], 0) / 120;
    expect(REASONS.reduce((s, k) => s + hours[k], 0)).toBeCloseTo(billedHours, 9);
  });
});
