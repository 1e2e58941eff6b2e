// One registered list of planners, in the scaler list's order, each after the planners it reads.

import { describe, expect, it } from 'vitest';
import { ALL_SCALERS } from '../../core/plan';
import { PLANNERS } from '../../core/planners';
import { isScalerName, SCALER_NAMES } from '../../core/scalers';

describe('the planners of a tick', () => {
  it('are the scalers, once each, in the scaler list’s order', () => {
    expect(PLANNERS.map((p) => p.name)).toEqual([...SCALER_NAMES]);
    expect(ALL_SCALERS).toEqual(SCALER_NAMES);
  });

  it('run each planner after every planner whose output it reads', () => {
    PLANNERS.forEach((planner, i) => {
      for (const read of planner.reads) expect(PLANNERS.findIndex((p) => p.name === read)).toBeLessThan(i);
    });
    expect(PLANNERS.find((p) => p.name === 'descheduler')!.reads).toEqual(['nodes']);
  });

  it.each([
    ['nodes', true],
    ['workers', true],
    ['descheduler', true],
    ['all', false],
    ['node', false],
    [undefined, false],
  ])('says whether %j names a scaler: %s', (value, expected) => {
    expect(isScalerName(value)).toBe(expected);
  });
});
