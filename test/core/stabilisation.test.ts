// "Up fast, down slow" (invariant 5): the floor scale-down may reach is the highest recommendation
// within the window, and only once the history covers the whole window.

import { describe, expect, it } from 'vitest';
import type { Recommendation } from '../../core/memory';
import { stabilise } from '../../core/stabilisation';
import { MINUTE, NOW, at } from '../builders/views';

const WINDOW = 10 * MINUTE;
const rec = (minutesAgo: number, value: number): Recommendation => ({ at: at(NOW - minutesAgo * MINUTE), value });

interface Case {
  name: string;
  history: Recommendation[];
  value: number;
  windowMs?: number;
  floor: number;
  covered: boolean;
  lowSinceMinutesAgo: number;
  kept: Recommendation[];
}

const cases: Case[] = [
  {
    name: 'no history: not covered, the floor is the value',
    history: [],
    value: 2,
    floor: 2,
    covered: false,
    lowSinceMinutesAgo: 0,
    kept: [],
  },
  {
    name: 'low for the whole window: covered at the value',
    history: [rec(11, 2), rec(5, 2)],
    value: 2,
    floor: 2,
    covered: true,
    lowSinceMinutesAgo: 11,
    kept: [rec(11, 2), rec(5, 2)],
  },
  {
    name: 'a higher need within the window holds the floor',
    history: [rec(11, 2), rec(3, 4)],
    value: 2,
    floor: 4,
    covered: true,
    lowSinceMinutesAgo: 0,
    kept: [rec(11, 2), rec(3, 4)],
  },
  {
    name: 'the entry before the window counts: it proves the window',
    history: [rec(12, 6), rec(4, 2)],
    value: 2,
    floor: 6,
    covered: true,
    lowSinceMinutesAgo: 4,
    kept: [rec(12, 6), rec(4, 2)],
  },
  {
    name: 'only the newest entry before the window is kept',
    history: [rec(30, 9), rec(20, 7), rec(15, 3)],
    value: 3,
    floor: 3,
    covered: true,
    lowSinceMinutesAgo: 15,
    kept: [rec(15, 3)],
  },
  {
    name: 'history only inside the window: not yet covered',
    history: [rec(5, 2)],
    value: 2,
    floor: 2,
    covered: false,
    lowSinceMinutesAgo: 5,
    kept: [rec(5, 2)],
  },
  {
    name: 'entries from the future and unreadable times are dropped',
    history: [{ at: 'yesterday', value: 9 }, rec(-5, 9), rec(11, 2)],
    value: 2,
    floor: 2,
    covered: true,
    lowSinceMinutesAgo: 11,
    kept: [rec(11, 2)],
  },
  {
    name: 'up fast: a higher value now is its own floor',
    history: [rec(11, 2), rec(5, 2)],
    value: 5,
    floor: 5,
    covered: true,
    lowSinceMinutesAgo: 11,
    kept: [rec(11, 2), rec(5, 2)],
  },
  { name: 'a zero window is always covered', history: [], value: 1, windowMs: 0, floor: 1, covered: true, lowSinceMinutesAgo: 0, kept: [] },
];

describe('stabilisation', () => {
  it.each(cases)('$name', ({ history, value, windowMs = WINDOW, floor, covered, lowSinceMinutesAgo, kept }) => {
    const s = stabilise(history, NOW, windowMs, value);
    expect({ floor: s.floor, covered: s.covered, lowSince: s.lowSince }).toEqual({
      floor,
      covered,
      lowSince: NOW - lowSinceMinutesAgo * MINUTE,
    });
    expect(s.history).toEqual([...kept, { at: at(NOW), value }]);
  });

  it('reads an edited entry afresh rather than from its memo', () => {
    const r = rec(11, 2);
    expect(stabilise([r], NOW, WINDOW, 2).covered).toBe(true);
    r.at = at(NOW - 5 * MINUTE);
    expect(stabilise([r], NOW, WINDOW, 2).covered).toBe(false);
  });
});
