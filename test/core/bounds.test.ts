// The effective minimum and maximum (invariant 4): policy, then windows, then overrides, each step
// that moved a bound said in words.

import { describe, expect, it } from 'vitest';
import { effectiveBounds, type WindowBound } from '../../core/bounds';
import type { Override } from '../../core/memory';
import { MINUTE, NOW, at } from '../builders/views';

const override = (o: Partial<Override>): Override => ({
  id: 'o1',
  scaler: 'nodes',
  mode: 'pause',
  reason: 'maintenance',
  createdAt: at(NOW - MINUTE),
  expiresAt: at(NOW + 60 * MINUTE),
  ...o,
});
const UNTIL = at(NOW + 60 * MINUTE);
const day: WindowBound = { label: 'Mon-Fri 07:30-21:00', min: 5, max: undefined };

interface Case {
  name: string;
  windows?: WindowBound[];
  overrides?: Override[];
  min: number;
  max: number;
  paused?: boolean;
  pinned?: number;
  because: string[];
}

const cases: Case[] = [
  { name: 'the policy alone', min: 2, max: 12, because: ['policy 2..12'] },
  {
    name: 'a window raises the minimum',
    windows: [day],
    min: 5,
    max: 12,
    because: ['policy 2..12', 'window Mon-Fri 07:30-21:00 raises the minimum to 5'],
  },
  {
    name: 'a window lowers the maximum',
    windows: [{ label: 'Sat-Sun 00:00-24:00', min: undefined, max: 4 }],
    min: 2,
    max: 4,
    because: ['policy 2..12', 'window Sat-Sun 00:00-24:00 lowers the maximum to 4'],
  },
  {
    name: 'a window minimum above the maximum stops at the maximum',
    windows: [{ label: 'w', min: 20, max: undefined }],
    min: 12,
    max: 12,
    because: ['policy 2..12', 'window w raises the minimum to 12'],
  },
  {
    name: 'a window that asks for less than the policy moves nothing',
    windows: [{ label: 'w', min: 1, max: 20 }],
    min: 2,
    max: 12,
    because: ['policy 2..12'],
  },
  {
    name: 'a pause keeps the bounds and says who paused',
    overrides: [override({ mode: 'pause' })],
    min: 2,
    max: 12,
    paused: true,
    because: ['policy 2..12', `override o1 (pause, until ${UNTIL}: "maintenance")`],
  },
  {
    name: 'a pin sets both bounds',
    windows: [day],
    overrides: [override({ mode: 'pin', count: 3, reason: 'incident' })],
    min: 3,
    max: 3,
    pinned: 3,
    because: [
      'policy 2..12',
      'window Mon-Fri 07:30-21:00 raises the minimum to 5',
      `override o1 (pin at 3, until ${UNTIL}: "incident") sets 3`,
    ],
  },
  {
    name: "a pin stops at the policy's hard ceiling",
    overrides: [override({ mode: 'pin', count: 50, reason: 'big' })],
    min: 12,
    max: 12,
    pinned: 12,
    because: ['policy 2..12', `override o1 (pin at 50, until ${UNTIL}: "big") sets 12`],
  },
  {
    name: 'bounds narrow the maximum',
    overrides: [override({ mode: 'bounds', max: 3, reason: 'budget freeze' })],
    min: 2,
    max: 3,
    because: ['policy 2..12', `override o1 (bounds -..3, until ${UNTIL}: "budget freeze") narrows to 2..3`],
  },
  {
    name: 'bounds below the minimum pull the minimum down with them',
    overrides: [override({ mode: 'bounds', max: 1, reason: 'quiet' })],
    min: 1,
    max: 1,
    because: ['policy 2..12', `override o1 (bounds -..1, until ${UNTIL}: "quiet") narrows to 1..1`],
  },
  {
    name: "bounds raise the minimum up to the policy's maximum",
    overrides: [override({ mode: 'bounds', min: 30, reason: 'launch' })],
    min: 12,
    max: 12,
    because: ['policy 2..12', `override o1 (bounds 30..-, until ${UNTIL}: "launch") narrows to 12..12`],
  },
  {
    name: 'bounds after a pin change nothing',
    overrides: [override({ mode: 'pin', count: 4, reason: 'p' }), override({ id: 'o2', mode: 'bounds', max: 2, reason: 'b' })],
    min: 4,
    max: 4,
    pinned: 4,
    because: ['policy 2..12', `override o1 (pin at 4, until ${UNTIL}: "p") sets 4`],
  },
];

describe('effective bounds', () => {
  it.each(cases)('$name', ({ windows = [], overrides = [], min, max, paused = false, pinned, because }) => {
    expect(effectiveBounds(2, 12, windows, overrides)).toEqual({ min, max, paused, pinned, because });
  });
});
