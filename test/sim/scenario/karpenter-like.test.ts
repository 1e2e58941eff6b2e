// The Karpenter-like peer's scheduling simulation: first fit, largest first, all or nothing.

import { describe, expect, it } from 'vitest';
import { fitsInto } from '../../../sim/scenario/karpenter-like';

describe('fitsInto', () => {
  it('places every pod or changes nothing', () => {
    const rooms = [
      { name: 'a', pods: 2, cpu: 500, memory: 1000 },
      { name: 'b', pods: 1, cpu: 300, memory: 1000 },
    ];
    expect(
      fitsInto(
        [
          { cpu: 300, memory: 100 },
          { cpu: 300, memory: 100 },
          { cpu: 200, memory: 100 },
        ],
        rooms,
      ),
    ).toBe(true);
    expect(rooms).toEqual([
      { name: 'a', pods: 0, cpu: 0, memory: 800 },
      { name: 'b', pods: 0, cpu: 0, memory: 900 },
    ]);
    const before = structuredClone(rooms);
    expect(fitsInto([{ cpu: 1, memory: 1 }], rooms)).toBe(false);
    expect(rooms).toEqual(before);
  });
});
