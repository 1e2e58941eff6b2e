// Every run is bounded (invariant 6): a budget spends what is left and explains a refusal with its limit.

import { describe, expect, it } from 'vitest';
import { Budget } from '../../core/budget';

describe('a run budget', () => {
  it.each([
    {
      what: 'evictions',
      limit: 3,
      takes: 2,
      granted: [true, true],
      left: 1,
      explain: 'budget of 3 evictions per run used; deferred to the next tick',
    },
    {
      what: 'evictions',
      limit: 3,
      takes: 5,
      granted: [true, true, true, false, false],
      left: 0,
      explain: 'budget of 3 evictions per run used; deferred to the next tick',
    },
    {
      what: 'node stops',
      limit: 1,
      takes: 2,
      granted: [true, false],
      left: 0,
      explain: 'budget of 1 node stops per run used; deferred to the next tick',
    },
    {
      what: 'node stops',
      limit: 0,
      takes: 1,
      granted: [false],
      left: 0,
      explain: 'budget of 0 node stops per run used; deferred to the next tick',
    },
  ])('$limit $what, $takes asked: $granted', ({ what, limit, takes, granted, left, explain }) => {
    const budget = new Budget(what, limit);
    expect(Array.from({ length: takes }, () => budget.take())).toEqual(granted);
    expect(budget.left).toBe(left);
    expect(budget.spent).toBe(granted.filter(Boolean).length);
    expect(budget.explain()).toBe(explain);
  });
});
