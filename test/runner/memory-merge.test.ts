// The three-way merge of a memory save that lost the race: this tick's changes applied to what is
// stored now, entry by entry, so no other writer's entries are lost.

import { describe, expect, it } from 'vitest';
import { emptyMemory, type Memory } from '../../core/memory';
import { mergeMemory } from '../../runner/memory-merge';
import { MINUTE, NOW, at } from '../builders/views';

const edit = (m: Memory, change: (m: Memory) => void): Memory => {
  const copy = structuredClone(m);
  change(copy);
  return copy;
};

describe('mergeMemory', () => {
  const base = edit(emptyMemory(), (m) => {
    m.nodes.drains.d1 = { since: at(NOW - 10 * MINUTE), reason: 'underused' };
    m.nodes.recommendations.push({ at: at(NOW - MINUTE), value: 4 });
  });

  it('keeps both ticks’ starts, pool growths and drains', () => {
    const mine = edit(base, (m) => {
      m.nodes.starting.a = { since: at(NOW), uncordonWhenReady: true };
      m.nodes.provisioning.push({ pool: 'user', count: 1, since: at(NOW), nodesBefore: 4 });
      m.nodes.recommendations.push({ at: at(NOW), value: 5 });
    });
    const theirs = edit(base, (m) => {
      m.nodes.starting.b = { since: at(NOW - 5_000), uncordonWhenReady: false };
      m.nodes.provisioning.push({ pool: 'batch', count: 2, since: at(NOW - 5_000), nodesBefore: 1 });
      m.nodes.drains.d2 = { since: at(NOW - 5_000), reason: 'empty' };
      m.nodes.recommendations.push({ at: at(NOW - 5_000), value: 6 });
    });
    const merged = mergeMemory(base, mine, theirs, NOW);
    expect(Object.keys(merged.nodes.starting).sort()).toEqual(['a', 'b']);
    expect(merged.nodes.provisioning.map((p) => p.pool)).toEqual(['batch', 'user']);
    expect(Object.keys(merged.nodes.drains).sort()).toEqual(['d1', 'd2']);
    expect(merged.nodes.recommendations.map((r) => r.value)).toEqual([4, 6, 5]);
  });

  it('keeps both ticks’ refused pools and failed starts', () => {
    const mine = edit(base, (m) => {
      m.nodes.refusedPools = { user: { at: at(NOW), reason: 'quota' } };
      m.nodes.failedStarts = { a: { at: at(NOW), reason: 'start failed' } };
    });
    const theirs = edit(base, (m) => {
      m.nodes.refusedPools = { spare: { at: at(NOW - 5_000), reason: 'SKU not available' } };
      m.nodes.failedStarts = { b: { at: at(NOW - 5_000), reason: 'not Ready after 10m' } };
    });
    const merged = mergeMemory(base, mine, theirs, NOW);
    expect(Object.keys(merged.nodes.refusedPools ?? {}).sort()).toEqual(['spare', 'user']);
    expect(Object.keys(merged.nodes.failedStarts ?? {}).sort()).toEqual(['a', 'b']);
    // An entry this tick let expire is gone; none left, none written.
    const expired = mergeMemory(mine, base, mine, NOW);
    expect(expired.nodes.refusedPools).toBeUndefined();
    expect(expired.nodes.failedStarts).toBeUndefined();
  });

  it('applies this tick’s removals and changes, and leaves what it did not touch as stored', () => {
    const mine = edit(base, (m) => {
      delete m.nodes.drains.d1; // the node stopped: its drain is complete
    });
    const theirs = edit(base, (m) => {
      m.nodes.drains.d1!.stopRequestedAt = at(NOW - 5_000);
      m.workers.bg = { recommendations: [{ at: at(NOW), value: 3 }], lastScale: at(NOW) };
      m.descheduler.recentEvictions.push({ namespace: 'clomo', workload: 'ReplicaSet/mdm', at: at(NOW) });
    });
    const merged = mergeMemory(base, mine, theirs, NOW);
    expect(merged.nodes.drains).toEqual({});
    expect(merged.workers.bg).toEqual(theirs.workers.bg);
    expect(merged.descheduler.recentEvictions).toHaveLength(1);

    const stopping = edit(base, (m) => (m.nodes.drains.d1!.stopRequestedAt = at(NOW)));
    expect(mergeMemory(base, stopping, theirs, NOW).nodes.drains.d1?.stopRequestedAt).toBe(at(NOW));
  });

  it('merges a worker’s entry part by part and takes the later scale time', () => {
    const withBg = edit(base, (m) => (m.workers.bg = { recommendations: [], lastScale: at(NOW - 10 * MINUTE) }));
    const mine = edit(withBg, (m) => {
      m.workers.bg!.recommendations.push({ at: at(NOW), value: 2 });
      m.workers.bg!.lastScale = at(NOW - MINUTE);
    });
    const theirs = edit(withBg, (m) => {
      m.workers.bg!.recommendations.push({ at: at(NOW - 30_000), value: 3 });
      m.workers.bg!.lastScale = at(NOW - 30_000);
    });
    const merged = mergeMemory(withBg, mine, theirs, NOW);
    expect(merged.workers.bg?.recommendations.map((r) => r.value)).toEqual([3, 2]);
    expect(merged.workers.bg?.lastScale).toBe(at(NOW - 30_000));
  });

  it('keeps the overrides stored now (people’s), minus the expired ones', () => {
    const theirs = edit(base, (m) => {
      m.overrides.push({
        id: 'new',
        scaler: 'nodes',
        mode: 'pause',
        reason: 'maintenance',
        createdAt: at(NOW),
        expiresAt: at(NOW + MINUTE),
      });
      m.overrides.push({
        id: 'old',
        scaler: 'nodes',
        mode: 'pause',
        reason: 'done',
        createdAt: at(NOW - 2 * MINUTE),
        expiresAt: at(NOW - MINUTE),
      });
    });
    const mine = edit(base, (m) => (m.nodes.lastScaleUp = at(NOW)));
    const merged = mergeMemory(base, mine, theirs, NOW);
    expect(merged.overrides.map((o) => o.id)).toEqual(['new']);
    expect(merged.nodes.lastScaleUp).toBe(at(NOW));
  });

  it('is what is stored when this tick changed nothing, and what it wants when nothing else did', () => {
    const other = edit(base, (m) => (m.nodes.starting.x = { since: at(NOW), uncordonWhenReady: false }));
    expect(mergeMemory(base, base, other, NOW)).toEqual(other);
    expect(mergeMemory(base, other, base, NOW)).toEqual(other);
  });
});
