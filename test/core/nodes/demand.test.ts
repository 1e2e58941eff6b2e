// Predictive pre-warming: the demand profile learned tick by tick, and nodes started ahead of a
// quarter hour that needed more — or, in forecast mode, only said.

import { describe, expect, it } from 'vitest';
import type { Memory } from '../../../core/memory';
import { parseMemory } from '../../../core/memory';
import { learnDemand, upgradeDemand } from '../../../core/nodes/demand';
import { localClock } from '../../../core/schedule';
import { mergeMemory } from '../../../runner/memory-merge';
import { MINUTE, buildMemory, buildNode, buildPolicy, deallocated, podsOf } from '../../builders/views';
import { actions, planNodes, skipsOf } from './fixtures';

const tokyo = (local: string) => Date.parse(`${local}+09:00`);
const clockAt = (local: string) => localClock(tokyo(local), 'Asia/Tokyo', new Set(['2027-01-11']));
/** Two running nodes with a handful of pods, eight stopped VMs to start. */
const cluster = () => [buildNode('n1'), buildNode('n2'), ...Array.from({ length: 8 }, (_, i) => buildNode(`s${i}`, deallocated))];
const quiet = () => [...podsOf('mdm', 'n1', 3), ...podsOf('mdm', 'n2', 3)];
/** Memory that has seen three Mondays need 9 nodes from 07:30 (and working days as a whole, too). */
const mondaysNeedNine = () =>
  buildMemory(
    (m) =>
      (m.nodes.demand = {
        '1:07:30': 9,
        '1:07:30@0': 9,
        '1:07:30@1': 9,
        '1:07:30@2': 8,
        'work:07:30': 9,
        'work:07:30@0': 9,
        'work:07:30@1': 9,
      }),
  );
/** The end of one quarter hour at `load` nodes on a day (`2026-12-07`), seen from its next tick. */
function dayAt(memory: Memory['nodes'], date: string, load: number): void {
  learnDemand(memory, clockAt(`${date}T07:40:00`), load);
  learnDemand(memory, clockAt(`${date}T07:45:00`), 0);
}
const withPrewarm = (mode: string) => buildPolicy((doc) => (doc.nodes.prewarm = { mode, lead: '10m' }));

describe('demand profile', () => {
  it('keeps the peak of each quarter hour and folds it into the weekday and the day kind when the quarter hour ends', () => {
    const memory = buildMemory().nodes;
    learnDemand(memory, clockAt('2026-11-30T07:30:00'), 30);
    learnDemand(memory, clockAt('2026-11-30T07:38:00'), 44);
    learnDemand(memory, clockAt('2026-11-30T07:44:00'), 41);
    expect(memory.demand).toEqual({ 'open:2026-11-30:1:07:30': 44 });
    learnDemand(memory, clockAt('2026-11-30T07:45:00'), 38);
    expect(memory.demand).toEqual({
      '1:07:30': 44,
      '1:07:30@0': 44,
      'work:07:30': 44,
      'work:07:30@0': 44,
      'open:2026-11-30:1:07:45': 38,
    });
  });

  it('keeps the last five peaks of a slot and learns their median (the lower middle one when even): a spike on half of the days or fewer is not a pattern', () => {
    const memory = buildMemory().nodes;
    dayAt(memory, '2026-11-30', 30);
    dayAt(memory, '2026-12-01', 52); // a spike on Tuesday
    expect(memory.demand?.['work:07:30']).toBe(30); // the lower of two: a spike on one of two days is left out
    dayAt(memory, '2026-12-02', 31);
    expect(memory.demand?.['work:07:30']).toBe(31); // the second highest of three
    dayAt(memory, '2026-12-03', 33);
    expect(memory.demand?.['work:07:30']).toBe(31); // the third highest of four: the spike and one more day left out
    dayAt(memory, '2026-12-04', 32);
    expect(memory.demand?.['work:07:30']).toBe(32); // the third highest of five
    // A sixth day pushes the oldest out; a second spike joins the first among the last five, and both are left out.
    dayAt(memory, '2026-12-07', 60);
    expect(memory.demand).toMatchObject({ 'work:07:30@0': 60, 'work:07:30@4': 52, 'work:07:30': 33 });
    expect(memory.demand?.['work:07:30@5']).toBeUndefined();
    // A rise on one day is not learned; on the next it is, as the days above the old level (the
    // spike and the two rises) are the most of five.
    dayAt(memory, '2026-12-08', 40);
    expect(memory.demand?.['work:07:30']).toBe(33);
    dayAt(memory, '2026-12-09', 40);
    expect(memory.demand?.['work:07:30']).toBe(40);
  });

  it('counts a holiday as Sunday, and counts a level kept without peaks (an earlier average) as one peak', () => {
    const memory = buildMemory((m) => (m.nodes.demand = { '1:07:30': 40, 'work:07:30': 40, '0:07:30': 4, 'rest:07:30': 4 })).nodes;
    dayAt(memory, '2026-12-07', 20);
    expect(memory.demand).toMatchObject({ '1:07:30': 20, '1:07:30@0': 20, '1:07:30@1': 40 });
    // 2027-01-11 is a Monday holiday: it teaches Sunday and rest days, not Mondays.
    dayAt(memory, '2027-01-11', 6);
    expect(memory.demand).toMatchObject({ '1:07:30': 20, '0:07:30': 4, '0:07:30@0': 6, '0:07:30@1': 4, 'rest:07:30': 4 });
  });

  it('is read back from stored memory, and a bad entry is refused with its key named', () => {
    const ok = parseMemory(JSON.parse(JSON.stringify(mondaysNeedNine())));
    expect(ok.ok && ok.memory.nodes.demand).toEqual(mondaysNeedNine().nodes.demand);
    const bad = parseMemory({ ...buildMemory(), nodes: { ...buildMemory().nodes, demand: { '1:07:30': -2, tuesday: 3 } } });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.problems).toEqual([
      'nodes.demand.1:07:30: expected a number of nodes >= 0, got -2',
      'nodes.demand.tuesday: expected a slot key like "1:07:30", "work:07:30", "work:07:30@0" or "open:2026-11-30:1:07:30"',
    ]);
  });

  it('reads a profile written with half hours as both quarter hours of each, and forecasts from it at once', () => {
    // As written before quarter hours: Mondays 07:30-08:00 (index 15) and the half hour being observed (07:00).
    const halfHours = { '1:15': 9, '1:15@0': 9, '1:15@1': 9, '1:15@2': 8, 'work:15': 9, 'open:2026-12-07:1:14': 3, '1:07:45': 6 };
    const stored = parseMemory({ ...buildMemory(), nodes: { ...buildMemory().nodes, demand: halfHours } });
    expect(stored.ok).toBe(true);
    const memory = buildMemory((m) => (m.nodes.demand = { ...halfHours }));
    const d = planNodes(cluster(), quiet(), { now: tokyo('2026-12-07T07:21:00'), memory, policy: withPrewarm('act') });
    expect(d.summary.nodes?.forecast).toMatchObject({ nodes: 9, slot: 'Mon 07:30', basis: 'weekday', peaks: 3 });
    expect(d.memory.nodes.demand).toMatchObject({
      '1:07:30': 9,
      '1:07:30@2': 8,
      'work:07:30': 9,
      // A quarter hour already learned is kept: the half hour's figure does not overwrite it.
      '1:07:45': 6,
      '1:07:45@2': 8,
      // The open half hour is its first quarter's, which has ended by 07:21 and is folded.
      '1:07:00@0': 3,
      'open:2026-12-07:1:07:15': 1,
    });
    expect(Object.keys(d.memory.nodes.demand ?? {}).filter((k) => /:\d{1,2}(@\d)?$/.test(k) && !/\d{2}:\d{2}/.test(k))).toEqual([]);
    // A lost save merged an open half hour with its first quarter's: the higher peak so far is kept.
    const merged = buildMemory((m) => (m.nodes.demand = { 'open:2026-12-07:1:14': 7, 'open:2026-12-07:1:07:00': 4 }));
    upgradeDemand(merged.nodes);
    expect(merged.nodes.demand).toEqual({ 'open:2026-12-07:1:07:00': 7 });
  });

  it('survives a lost save: both ticks’ slots are kept by the merge, and two open slots are both folded', () => {
    const base: Memory = buildMemory();
    const mine: Memory = buildMemory((m) => (m.nodes.demand = { 'open:2026-11-30:1:07:30': 12 }));
    const theirs: Memory = buildMemory((m) => (m.nodes.demand = { '2:01:30': 2, 'open:2026-11-30:1:07:15': 7 }));
    const merged = mergeMemory(base, mine, theirs, tokyo('2026-11-30T07:40:00'));
    expect(merged.nodes.demand).toEqual({ '2:01:30': 2, 'open:2026-11-30:1:07:15': 7, 'open:2026-11-30:1:07:30': 12 });
    learnDemand(merged.nodes, clockAt('2026-11-30T07:46:00'), 5);
    expect(merged.nodes.demand).toMatchObject({ '1:07:15': 7, '1:07:30': 12, 'open:2026-11-30:1:07:45': 5 });
  });
});

describe('pre-warming', () => {
  it('starts nodes the lead ahead of a quarter hour that needed more, saying which and why', () => {
    const d = planNodes(cluster(), quiet(), { now: tokyo('2026-12-07T07:21:00'), memory: mondaysNeedNine(), policy: withPrewarm('act') });
    expect(d.summary.nodes?.desired).toBe(9);
    expect(actions(d).filter((a) => a.startsWith('start-node'))).toHaveLength(7);
    expect(d.summary.nodes?.why).toContain(
      'pre-warming 10m ahead: the load needed 9 nodes in the quarter hour from Mon 07:30 (as learned for this weekday: the second highest of its last 3 days, which needed 9, 9 and 8 nodes, newest first)',
    );
    expect(d.summary.nodes?.forecast).toEqual({ nodes: 9, slot: 'Mon 07:30', basis: 'weekday', peaks: 3, days: [9, 9, 8], mode: 'act' });
  });

  it('waits until the lead: twenty minutes before, nothing is started', () => {
    const d = planNodes(cluster(), quiet(), { now: tokyo('2026-12-07T07:09:00'), memory: mondaysNeedNine(), policy: withPrewarm('act') });
    expect(actions(d).filter((a) => a.startsWith('start-node'))).toEqual([]);
  });

  it('in forecast mode starts nothing and says what it would start', () => {
    const d = planNodes(cluster(), quiet(), {
      now: tokyo('2026-12-07T07:21:00'),
      memory: mondaysNeedNine(),
      policy: withPrewarm('forecast'),
    });
    expect(actions(d).filter((a) => a.startsWith('start-node'))).toEqual([]);
    const [skip] = skipsOf(d, 'prewarm-forecast-only');
    expect(skip?.reason).toContain('would start 7 more nodes now, 10m ahead');
    expect(skip?.reason).toContain('nodes.prewarm.mode is forecast');
    expect(d.summary.nodes?.forecast?.mode).toBe('forecast');
  });

  it('falls back to weekdays as a whole until this weekday has been seen three times, and never goes below the reactive answer', () => {
    const memory = buildMemory((m) => (m.nodes.demand = { 'work:07:30': 3, '2:07:30': 12, '2:07:30@0': 12, '2:07:30@1': 11 }));
    const pods = [...podsOf('mdm', 'n1', 20), ...podsOf('mdm', 'n2', 20), ...podsOf('panel', 'n1', 40)];
    const d = planNodes(cluster(), pods, { now: tokyo('2026-12-08T07:21:00'), memory, policy: withPrewarm('act') });
    expect(d.summary.nodes?.forecast).toMatchObject({ nodes: 3, basis: 'day kind', slot: 'Tue 07:30' });
    expect(d.summary.nodes?.why).toContain('(as learned for this kind of day: the highest of 1 day)');
    expect(d.summary.nodes?.desired).toBe(4);
  });

  it('after two days forecasts the lower of them, and says so', () => {
    const memory = buildMemory().nodes;
    dayAt(memory, '2026-11-30', 5);
    dayAt(memory, '2026-12-01', 9); // a spike on one of two days
    const d = planNodes(cluster(), quiet(), {
      now: tokyo('2026-12-02T07:21:00'),
      memory: { ...buildMemory(), nodes: memory },
      policy: withPrewarm('act'),
    });
    expect(d.summary.nodes?.forecast).toMatchObject({ nodes: 5, basis: 'day kind', peaks: 2, days: [9, 5] });
    expect(d.summary.nodes?.why).toContain(
      'the load needed 5 nodes in the quarter hour from Wed 07:30 (as learned for this kind of day: the lower of 2 days, which needed 9 and 5 nodes, newest first)',
    );
  });

  it('on a holiday morning forecasts from Sundays, not from the weekday', () => {
    const memory = buildMemory((m) => (m.nodes.demand = { '1:07:30': 9, '0:07:30': 2 }));
    const d = planNodes(cluster(), quiet(), { now: tokyo('2027-01-11T07:21:00'), memory, policy: withPrewarm('act') });
    expect(d.summary.nodes?.forecast).toMatchObject({ nodes: 2, slot: '2027-01-11 (holiday, as Sunday) 07:30' });
    expect(actions(d).filter((a) => a.startsWith('start-node'))).toEqual([]);
  });

  it('is off when the policy says so: no forecast, and nothing learned is acted on', () => {
    const d = planNodes(cluster(), quiet(), { now: tokyo('2026-12-07T07:21:00'), memory: mondaysNeedNine(), policy: withPrewarm('off') });
    expect(d.summary.nodes?.forecast).toBeUndefined();
    expect(skipsOf(d, 'prewarm-forecast-only')).toEqual([]);
    expect(d.memory.nodes.demand?.['open:2026-12-07:1:07:15']).toBeGreaterThan(0);
  });

  it('learns every tick from the load, not from its own forecast', () => {
    const d = planNodes(cluster(), quiet(), { now: tokyo('2026-12-07T07:21:00'), memory: mondaysNeedNine(), policy: withPrewarm('act') });
    expect(d.memory.nodes.demand?.['open:2026-12-07:1:07:15']).toBe(1);
    const later = planNodes(cluster(), quiet(), {
      now: tokyo('2026-12-07T07:31:00') + MINUTE,
      memory: d.memory,
      policy: withPrewarm('act'),
    });
    expect(later.memory.nodes.demand?.['1:07:15']).toBe(1);
  });
});
