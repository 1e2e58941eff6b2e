import { describe, expect, it } from 'vitest';
import { cloneJson, sameJson } from '../../../sim/model/objects';
import { SeededRandom } from '../../../sim/model/random';

/** Random values with everything JSON.stringify treats specially: left-out members, NaN, -0, key order, Dates. */
function value(random: SeededRandom, depth: number): unknown {
  const r = random.next();
  if (depth > 3 || r < 0.35) {
    const leaves: unknown[] = [
      null,
      undefined,
      0,
      -0,
      1,
      1.5,
      NaN,
      Infinity,
      -Infinity,
      '',
      'a',
      'null',
      true,
      false,
      () => 1,
      new Date(0),
    ];
    return leaves[random.int(leaves.length)];
  }
  if (r < 0.6) return Array.from({ length: random.int(4) }, () => value(random, depth + 1));
  const object: Record<string, unknown> = {};
  for (let i = random.int(5); i > 0; i--) object[['a', 'b', 'c', 'd'][random.int(4)]!] = value(random, depth + 1);
  return object;
}

/** A copy with one change somewhere (or none): a member replaced, removed, or keys reordered. */
function variant(random: SeededRandom, v: unknown, depth: number): unknown {
  const r = random.next();
  if (r < 0.25) return value(random, depth);
  if (Array.isArray(v)) return v.map((e) => (random.next() < 0.3 ? variant(random, e, depth + 1) : e));
  if (typeof v === 'object' && v !== null && !(v instanceof Date)) {
    const entries = Object.entries(v);
    if (r < 0.4) entries.reverse();
    if (r > 0.9 && entries.length > 0) entries.pop();
    return Object.fromEntries(entries.map(([k, e]) => [k, random.next() < 0.3 ? variant(random, e, depth + 1) : e]));
  }
  return v;
}

describe('sameJson', () => {
  it('answers as comparing the JSON.stringify of both would', () => {
    const random = new SeededRandom(11);
    let equal = 0;
    for (let i = 0; i < 20_000; i++) {
      const a = value(random, 0);
      const b = random.next() < 0.3 ? cloneJson(a) : variant(random, a, 0);
      const expected = JSON.stringify(a) === JSON.stringify(b);
      if (expected) equal++;
      expect(sameJson(a, b), `${String(JSON.stringify(a))} vs ${String(JSON.stringify(b))}`).toBe(expected);
    }
    // Both answers are exercised.
    expect(equal).toBeGreaterThan(2_000);
    expect(equal).toBeLessThan(18_000);
  });

  it('tells apart what serialises differently and not what serialises alike', () => {
    expect(sameJson({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(false);
    expect(sameJson({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(sameJson([undefined], [null])).toBe(true);
    expect(sameJson(NaN, null)).toBe(true);
    expect(sameJson(undefined, null)).toBe(false);
    expect(sameJson(-0, 0)).toBe(true);
    expect(sameJson({ t: new Date(0) }, { t: '1970-01-01T00:00:00.000Z' })).toBe(true);
  });
});
