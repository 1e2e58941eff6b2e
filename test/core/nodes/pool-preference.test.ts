// New nodes go to the pools in their order of preference (`nodes.pools`): the next one when a pool is
// at its own maximum or refused to grow a short while ago.

import { describe, expect, it } from 'vitest';
import { POOL_REFUSAL_MS } from '../../../core/nodes/scale-up';
import { MINUTE, at, buildMemory, buildNode, buildPolicy, inPool } from '../../builders/views';
import { MORNING, actions, planNodes, skipsOf } from './fixtures';

const twoPools = (tweak: (nodes: Record<string, any>) => void = () => {}) =>
  buildPolicy((p) => {
    p.nodes.pools = ['user', 'spare'];
    tweak(p.nodes);
  });
// Two user nodes, one spare node, all running: the morning window wants 5.
const cluster = () => [buildNode('u1'), buildNode('u2'), buildNode('s1', inPool('spare'))];

describe('node planner: pools in order of preference', () => {
  it('grows the first pool while it has room', () => {
    const d = planNodes(cluster(), [], { now: MORNING, policy: twoPools() });
    expect(actions(d)).toEqual(['add-nodes user 2']);
  });

  it('fills the first pool up to its own maximum, then the next', () => {
    const d = planNodes(cluster(), [], { now: MORNING, policy: twoPools((n) => (n.poolMaxNodes = { user: 3 })) });
    expect(actions(d)).toEqual(['add-nodes user 1', 'add-nodes spare 1']);
    expect(d.actions[1]?.reason).toContain('growing pool spare by 1 (pool user reaches its maximum 3)');
  });

  it('passes over a pool already at its maximum, saying so', () => {
    const d = planNodes(cluster(), [], { now: MORNING, policy: twoPools((n) => (n.poolMaxNodes = { user: 2 })) });
    expect(actions(d)).toEqual(['add-nodes spare 2']);
    expect(d.actions[0]?.reason).toContain('(pool user is at its maximum 2)');
  });

  it('counts nodes requested earlier and not yet joined against the pool maximum', () => {
    const policy = twoPools((n) => (n.poolMaxNodes = { user: 3 }));
    const first = planNodes(cluster(), [], { now: MORNING, policy });
    // A tick later nothing has joined yet and the provision is still awaited: nothing more is asked.
    const again = planNodes(cluster(), [], { now: MORNING + MINUTE, policy, memory: first.memory });
    expect(actions(again)).toEqual([]);
  });

  it('passes over a pool that refused to grow, until the refusal is old', () => {
    const memory = buildMemory(
      (m) => (m.nodes.refusedPools = { user: { at: at(MORNING - 5 * MINUTE), reason: 'failed: quota exceeded' } }),
    );
    const d = planNodes(cluster(), [], { now: MORNING, policy: twoPools(), memory });
    expect(actions(d)).toEqual(['add-nodes spare 2']);
    expect(d.actions[0]?.reason).toContain('pool user refused to grow');
    const later = planNodes(cluster(), [], { now: MORNING - 5 * MINUTE + POOL_REFUSAL_MS, policy: twoPools(), memory });
    expect(actions(later)).toEqual(['add-nodes user 2']);
    expect(later.memory.nodes.refusedPools).toEqual({});
  });

  it('says so when no pool may grow', () => {
    const d = planNodes(cluster(), [], { now: MORNING, policy: twoPools((n) => (n.poolMaxNodes = { user: 2, spare: 1 })) });
    expect(actions(d)).toEqual([]);
    expect(skipsOf(d, 'no-pool-to-grow')[0]?.reason).toBe(
      '2 nodes still missing, no pool may grow: pool user is at its maximum 2; pool spare is at its maximum 1',
    );
  });
});
