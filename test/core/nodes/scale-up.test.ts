// The node planner, up fast: cancel a drain, start a stopped VM, grow the pool.

import { describe, expect, it } from 'vitest';
import { DRAINING_SINCE } from '../../../core/annotations';
import {
  MINUTE,
  NOW,
  at,
  buildMemory,
  buildNode,
  buildPod,
  cordoned,
  createdAt,
  deallocated,
  nodeAnnotated,
  notReady,
  podsOf,
  unschedulable,
} from '../../builders/views';
import { MORNING, actions, planNodes, skipsOf } from './fixtures';

describe('node planner: up fast', () => {
  const stopped = (n: string) => buildNode(n, deallocated);

  it('starts stopped VMs in the morning, remembering them so they are not started twice', () => {
    const nodes = [buildNode('n1'), buildNode('n2'), stopped('n3'), stopped('n4'), stopped('n5')];
    const d = planNodes(nodes, podsOf('mdm', 'n1', 4), { now: MORNING });
    expect(actions(d)).toEqual(['start-node n3', 'start-node n4', 'start-node n5']);
    expect(d.actions[0]?.reason).toContain('5 wanted, 2 running or on the way');
    expect(d.memory.nodes.starting.n3).toEqual({ since: at(MORNING), uncordonWhenReady: true });
    const again = planNodes(nodes, podsOf('mdm', 'n1', 4), { now: MORNING + MINUTE, memory: d.memory });
    expect(actions(again)).toEqual([]);
  });

  it('grows the pool when no stopped VM is left, and waits for the new nodes', () => {
    const nodes = [buildNode('n1'), buildNode('n2'), stopped('n3')];
    const d = planNodes(nodes, [], { now: MORNING });
    expect(actions(d)).toEqual(['start-node n3', 'add-nodes user 2']);
    expect(d.memory.nodes.provisioning).toEqual([{ pool: 'user', count: 2, since: at(MORNING), nodesBefore: 3 }]);
    const again = planNodes(nodes, [], { now: MORNING + MINUTE, memory: d.memory });
    expect(actions(again)).toEqual([]);
    expect(skipsOf(again, 'provision-in-progress')[0]?.reason).toContain('2 new nodes of 2');
  });

  it('cancels a drain before starting any VM', () => {
    const nodes = [buildNode('n1'), buildNode('n2', cordoned, nodeAnnotated({ [DRAINING_SINCE]: at(NOW - 5 * MINUTE) })), stopped('n3')];
    const memory = buildMemory((m) => (m.nodes.drains.n2 = { since: at(NOW - 5 * MINUTE), reason: 'night' }));
    const d = planNodes(nodes, podsOf('mdm', 'n2', 10), { now: MORNING, memory });
    expect(actions(d).slice(0, 2)).toEqual(['uncordon n2', 'start-node n3']);
    expect(d.actions[0]?.rule).toBe('scale-up-cancel-drain');
    expect(d.memory.nodes.drains).toEqual({});
  });

  it('uncordons a started node once it is Ready', () => {
    const memory = buildMemory((m) => (m.nodes.starting.n3 = { since: at(MORNING - 2 * MINUTE), uncordonWhenReady: true }));
    const nodes = [buildNode('n1'), buildNode('n2'), buildNode('n3', cordoned), buildNode('n4'), buildNode('n5')];
    const d = planNodes(nodes, [], { now: MORNING, memory });
    expect(actions(d)).toEqual(['uncordon n3']);
    expect(d.actions[0]?.rule).toBe('started-node-ready');
    expect(Object.keys(d.memory.nodes.starting)).toEqual(['n3']); // until the uncordon shows
    const landed = planNodes(
      nodes.map((n) => (n.name === 'n3' ? buildNode('n3') : n)),
      [],
      { now: MORNING + MINUTE, memory: d.memory },
    );
    expect(actions(landed)).toEqual([]);
    expect(landed.memory.nodes.starting).toEqual({});
  });

  it('starts a VM again when the first start timed out', () => {
    const memory = buildMemory((m) => (m.nodes.starting.n3 = { since: at(MORNING - 15 * MINUTE), uncordonWhenReady: true }));
    const nodes = [buildNode('n1'), buildNode('n2'), stopped('n3'), buildNode('n4'), buildNode('n5')];
    const d = planNodes(nodes, [], { now: MORNING, memory });
    expect(skipsOf(d, 'start-timed-out')).toHaveLength(1);
    expect(actions(d)).toEqual(['start-node n3']);
  });

  it('adds nodes for a burst of Unschedulable pods beyond what the pod count suggests', () => {
    const nodes = [buildNode('n1'), buildNode('n2'), stopped('n3'), stopped('n4')];
    const pods = [
      ...podsOf('mdm', 'n1', 10),
      ...podsOf('mdm', 'n2', 10),
      ...Array.from({ length: 5 }, (_, i) => buildPod(`big-${i}`, unschedulable)),
    ];
    const d = planNodes(nodes, pods);
    // 25 pods / 20 = 2, fit 1, but 5 Unschedulable pods need one node beyond the 2 running
    expect(d.summary.nodes?.desired).toBe(3);
    expect(actions(d)).toEqual(['start-node n3']);
    expect(d.summary.nodes?.why).toContain('5 pods Unschedulable need 1 node beyond the 2 schedulable');
  });

  it('counts a new node still joining the cluster as on its way', () => {
    const nodes = [
      buildNode('n1'),
      buildNode('n2'),
      buildNode('n3'),
      buildNode('n4'),
      buildNode('n5', notReady, createdAt(MORNING - 2 * MINUTE)),
    ];
    const d = planNodes(nodes, [], { now: MORNING });
    expect(actions(d)).toEqual([]);
  });

  it('does not count a node cordoned by someone else as capacity', () => {
    const nodes = [buildNode('n1'), buildNode('n2', cordoned), stopped('n3')];
    const d = planNodes(nodes, []);
    expect(skipsOf(d, 'cordoned-by-someone-else').map((s) => s.target)).toEqual(['node/n2']);
    expect(actions(d)).toEqual(['start-node n3']);
  });
});
