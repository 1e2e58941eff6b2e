// The tick's Lease: short, renewed as the tick goes, and a tick that lost it starts nothing more.

import { describe, expect, it } from 'vitest';
import { HeldLease } from '../../runner/held-lease';
import type { LeaseLock } from '../../runner/ports';
import { runTick } from '../../runner/run-tick';
import { DEFAULT_TICK_LIMITS, DEFAULT_TICK_TIMING } from '../../runner/tick-limits';
import { DRAINING_SINCE } from '../../core/annotations';
import {
  MINUTE,
  NOW,
  at,
  buildNode,
  buildPolicy,
  buildSnapshot,
  cordoned,
  deallocated,
  nodeAnnotated,
  pinnedNodes,
} from '../builders/views';
import { harness } from './harness';

/** A Lease store on a wall clock the test moves: who holds it, and until when. */
function leaseStore(wall: { t: number }) {
  let held: { holder: string; until: number } | undefined;
  const calls: string[] = [];
  const lock: LeaseLock = {
    acquire: async (_name, holder, seconds) => {
      calls.push(`acquire ${holder}`);
      if (held && held.holder !== holder && held.until > wall.t) return false;
      held = { holder, until: wall.t + seconds * 1000 };
      return true;
    },
    release: async (_name, holder) => {
      if (held?.holder === holder) held = undefined;
    },
  };
  return { lock, calls, steal: (holder: string) => (held = { holder, until: wall.t + 40_000 }) };
}

describe('HeldLease', () => {
  const limits = { ...DEFAULT_TICK_LIMITS, leaseSeconds: 30 };

  it('renews once a third of the Lease has passed, and only then', async () => {
    const wall = { t: 0 };
    const store = leaseStore(wall);
    const lease = new HeldLease(store.lock, 'me', limits, { ...DEFAULT_TICK_TIMING, now: () => wall.t });
    expect(await lease.take()).toBe(true);
    wall.t = 9_000;
    expect(await lease.keep()).toBe(true);
    expect(store.calls).toEqual(['acquire me']);
    wall.t = 10_000;
    expect(await lease.keep()).toBe(true);
    expect(store.calls).toEqual(['acquire me', 'acquire me']);
  });

  it('is lost for good once another holder took it, and when a renewal cannot tell', async () => {
    const wall = { t: 0 };
    const store = leaseStore(wall);
    const timing = { ...DEFAULT_TICK_TIMING, now: () => wall.t };
    const lease = new HeldLease(store.lock, 'me', limits, timing);
    await lease.take();
    wall.t = 31_000; // expired during a slow call …
    store.steal('other'); // … and another tick took it
    expect(await lease.keep()).toBe(false);
    expect(await lease.keep()).toBe(false);

    const unsure = new HeldLease({ ...store.lock, acquire: async () => Promise.reject(new Error('timeout')) }, 'me', limits, timing);
    (unsure as unknown as { renewedAt: number }).renewedAt = -60_000;
    expect(await unsure.keep()).toBe(false);
  });
});

describe('runTick with a Lease lost midway', () => {
  it('starts no further action, and still remembers what it did', async () => {
    const pinned = pinnedNodes(3);
    pinned.nodes.drains.dr = { since: at(NOW - 5 * MINUTE), reason: 'underused' };
    const draining = buildNode('dr', cordoned, nodeAnnotated({ [DRAINING_SINCE]: at(NOW - 5 * MINUTE) }));
    const snapshot = buildSnapshot({ nodes: [buildNode('n1'), draining, buildNode('s1', deallocated)] });
    const h = harness(snapshot, pinned);
    const wall = { t: 0 };
    const store = leaseStore(wall);
    h.deps.lease = store.lock;
    h.deps.timing = { ...h.deps.timing, now: () => wall.t };
    h.deps.limits = { ...h.deps.limits, deadlineMs: 60_000 }; // the deadline is not what stops it here
    h.deps.actions.uncordon = async (node) => {
      h.writes.push(`uncordon ${node}`);
      // A slow answer: the Lease (40 s) expires meanwhile and another tick takes it.
      wall.t += 45_000;
      store.steal('other');
    };
    // Pinned to 3 with one node running: the drain is cancelled first, then a VM is started.
    const result = await runTick(h.deps, buildPolicy(), 'nodes', { dryRun: false });
    if (result.status !== 'acted') throw new Error(result.status);
    expect(result.outcomes.map((o) => `${o.action.type} ${o.outcome}`)).toContain('start-node deferred');
    expect(result.outcomes.find((o) => o.outcome === 'deferred')?.detail).toContain('no longer this tick');
    expect(h.writes.filter((w) => !w.startsWith('event'))).toEqual(['uncordon dr']);
    expect(h.store.memory.nodes.starting).toEqual({});
    expect(h.store.memory.nodes.drains).toEqual({}); // the uncordon it did is remembered
  });
});
