// The node planner, up fast: cancel a drain, start a stopped VM, grow the pool.

import { describe, expect, it } from 'vitest';
import { DRAINING_SINCE } from '../../../core/annotations';
import {
  MINUTE,
  NOW,
  at,
  buildMemory,
  buildNode,
  buildPolicy,
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
    // Each stopped VM was cordoned by its drain: uncordoned first (NotReady, nothing lands on it until it is Ready), then started together.
    expect(actions(d)).toEqual(['start-node n3', 'start-node n4', 'start-node n5', 'uncordon n3', 'uncordon n4', 'uncordon n5']);
    expect(d.actions[3]?.rule).toBe('start-uncordon');
    expect(d.actions[3]?.reason).toContain('while its VM is still booting and nothing can be scheduled on it');
    expect(d.actions[0]?.reason).toContain('5 wanted, 2 running or on the way');
    expect(d.memory.nodes.starting.n3).toEqual({ since: at(MORNING), uncordonWhenReady: true });
    const again = planNodes(nodes, podsOf('mdm', 'n1', 4), { now: MORNING + MINUTE, memory: d.memory });
    expect(actions(again)).toEqual([]);
  });

  it('grows the pool when no stopped VM is left, and waits for the new nodes', () => {
    const nodes = [buildNode('n1'), buildNode('n2'), stopped('n3')];
    const d = planNodes(nodes, [], { now: MORNING });
    expect(actions(d)).toEqual(['start-node n3', 'add-nodes user 2', 'uncordon n3']);
    expect(d.memory.nodes.provisioning).toEqual([{ pool: 'user', count: 2, since: at(MORNING), nodesBefore: 3 }]);
    const again = planNodes(nodes, [], { now: MORNING + MINUTE, memory: d.memory });
    expect(actions(again)).toEqual([]);
    expect(skipsOf(again, 'provision-in-progress')[0]?.reason).toContain('2 new nodes of 2');
  });

  it('cancels a drain before starting any VM', () => {
    const nodes = [buildNode('n1'), buildNode('n2', cordoned, nodeAnnotated({ [DRAINING_SINCE]: at(NOW - 5 * MINUTE) })), stopped('n3')];
    const memory = buildMemory((m) => (m.nodes.drains.n2 = { since: at(NOW - 5 * MINUTE), reason: 'night' }));
    const d = planNodes(nodes, podsOf('mdm', 'n2', 10), { now: MORNING, memory });
    expect(actions(d)).toEqual(['uncordon n2', 'start-node n3', 'add-nodes user 2', 'uncordon n3']);
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
    expect(actions(d)).toEqual(['start-node n3', 'uncordon n3']);
  });

  it('starts another stopped VM when the first start timed out, and passes the stuck one over for a while', () => {
    const memory = buildMemory((m) => (m.nodes.starting.n3 = { since: at(MORNING - 15 * MINUTE), uncordonWhenReady: true }));
    // The morning's minimum is 5: with 4 running, one VM is wanted.
    const nodes = [buildNode('n1'), buildNode('n2'), stopped('n3'), buildNode('n4'), stopped('n5'), buildNode('n6')];
    const d = planNodes(nodes, [], { now: MORNING, memory });
    expect(actions(d)).toEqual(['start-node n5', 'uncordon n5']);
    expect(d.actions[0]?.reason).toContain('passing over n3: a start failed there in the last 30m');
    expect(d.memory.nodes.failedStarts?.n3?.at).toBe(at(MORNING));
    expect(d.memory.nodes.failedStarts?.n3?.reason).toContain('not Ready after 10m');
    // Once n5 timed out too (and n4 went away), both go after a VM that never failed …
    const later = planNodes([buildNode('n1'), buildNode('n2'), stopped('n3'), stopped('n5'), stopped('n7'), buildNode('n6')], [], {
      now: MORNING + 15 * MINUTE,
      memory: d.memory,
    });
    expect(actions(later)).toEqual(['start-node n7', 'start-node n3', 'uncordon n7', 'uncordon n3']);
    // … and forgotten after 30 minutes: n3 is first in name order again.
    const afterwards = planNodes(nodes, [], {
      now: MORNING + 30 * MINUTE,
      memory: { ...d.memory, nodes: { ...d.memory.nodes, starting: {} } },
    });
    expect(afterwards.memory.nodes.failedStarts).toBeUndefined();
    expect(actions(afterwards)).toContain('start-node n3');
  });

  it('starts a VM whose start failed again when no other stopped VM is left, and says so', () => {
    const memory = buildMemory(
      (m) => (m.nodes.failedStarts = { n3: { at: at(MORNING - 5 * MINUTE), reason: 'start refused: OperationNotAllowed' } }),
    );
    const nodes = [buildNode('n1'), buildNode('n2'), stopped('n3'), buildNode('n4'), buildNode('n5')];
    const d = planNodes(nodes, [], { now: MORNING, memory });
    expect(actions(d)).toEqual(['start-node n3', 'uncordon n3']);
    expect(d.actions[0]?.reason).toContain('again, as no other stopped VM is left: its start failed at');
    expect(d.actions[0]?.reason).toContain('start refused: OperationNotAllowed');
  });

  it('starts another VM beside a start that is taking far too long while pods wait, and not before', () => {
    const startedAgo = (ms: number) => buildMemory((m) => (m.nodes.starting.n3 = { since: at(MORNING - ms), uncordonWhenReady: false }));
    // The morning's minimum is 5: n1, n2, n4, n5 run, n3 is starting, n6 is stopped.
    const nodes = [buildNode('n1'), buildNode('n2'), stopped('n3'), buildNode('n4'), buildNode('n5'), stopped('n6')];
    const pending = [...podsOf('mdm', 'n1', 20), ...Array.from({ length: 3 }, (_, i) => buildPod(`wait-${i}`, unschedulable))];
    const early = planNodes(nodes, pending, { now: MORNING, memory: startedAgo(2 * MINUTE) });
    expect(actions(early)).toEqual([]);
    const late = planNodes(nodes, pending, { now: MORNING, memory: startedAgo(3 * MINUTE) });
    expect(actions(late)).toEqual(['start-node n6', 'uncordon n6']);
    expect(late.actions[0]?.reason).toContain(
      `1 start not Ready after 3m not counted as on the way while 3 pods wait: n3 (started ${at(MORNING - 3 * MINUTE)})`,
    );
    // n3 stays remembered: it may still come up, and its start timeout still applies.
    expect(Object.keys(late.memory.nodes.starting).sort()).toEqual(['n3', 'n6']);
    // Without pods waiting, a slow start is simply waited for.
    const calm = planNodes(nodes, podsOf('mdm', 'n1', 20), { now: MORNING, memory: startedAgo(5 * MINUTE) });
    expect(actions(calm)).toEqual([]);
  });

  it('starts another VM at once beside a start the runner saw stalled in Azure, and keeps the stalled one', () => {
    const stalled = buildMemory(
      (m) => (m.nodes.starting.n3 = { since: at(MORNING - MINUTE), uncordonWhenReady: true, stalled: at(MORNING - 10_000) }),
    );
    const nodes = [buildNode('n1'), buildNode('n2'), stopped('n3'), buildNode('n4'), buildNode('n5'), stopped('n6')];
    const pending = [...podsOf('mdm', 'n1', 20), ...Array.from({ length: 3 }, (_, i) => buildPod(`wait-${i}`, unschedulable))];
    const d = planNodes(nodes, pending, { now: MORNING, memory: stalled });
    expect(actions(d)).toEqual(['start-node n6', 'uncordon n6']);
    expect(d.actions[0]?.reason).toContain(
      `1 start stalled in Azure or not Ready after 3m not counted as on the way while 3 pods wait: n3 (started ${at(MORNING - MINUTE)}; still deallocated with an operation in progress at ${at(MORNING - 10_000)})`,
    );
    expect(d.memory.nodes.starting.n3).toEqual(stalled.nodes.starting.n3);
  });

  it('starts a spare stopped VM beside the replacement of a stalled start, within the maximum and never by growing a pool', () => {
    const stalled = buildMemory(
      (m) => (m.nodes.starting.n3 = { since: at(MORNING - MINUTE), uncordonWhenReady: true, stalled: at(MORNING - 10_000) }),
    );
    const nodes = [buildNode('n1'), buildNode('n2'), stopped('n3'), buildNode('n4'), buildNode('n5'), stopped('n6'), stopped('n7')];
    const pending = [...podsOf('mdm', 'n1', 20), ...Array.from({ length: 3 }, (_, i) => buildPod(`wait-${i}`, unschedulable))];
    const d = planNodes(nodes, pending, { now: MORNING, memory: stalled });
    expect(actions(d)).toEqual(['start-node n6', 'start-node n7', 'uncordon n6', 'uncordon n7']);
    expect(d.actions[0]?.reason).toContain('one stopped VM more as a spare, as a start that hung once may hang again');
    // The next tick counts the replacement and the spare as on their way: nothing more is started.
    const next = planNodes(
      [buildNode('n1'), buildNode('n2'), stopped('n3'), buildNode('n4'), buildNode('n5'), stopped('n6'), stopped('n7'), stopped('n8')],
      pending,
      { now: MORNING + MINUTE, memory: d.memory },
    );
    expect(actions(next)).toEqual([]);
    // No spare past the maximum: 4 running + n3 stalled + n6 for it reach a maximum of 6.
    const capped = planNodes(nodes, pending, { now: MORNING, memory: stalled, policy: buildPolicy((p) => (p.nodes.maxNodes = 6)) });
    expect(actions(capped)).toEqual(['start-node n6', 'uncordon n6']);
    // Nor without a start stalled or overdue: a plain scale-up starts what is wanted.
    const plain = planNodes(nodes, pending, { now: MORNING });
    expect(actions(plain).filter((a) => a.startsWith('start-node'))).toHaveLength(1);
    // Nor beside a start that is only slow (not Ready after 3 minutes, its operation not seen hanging): its replacement alone.
    const slow = buildMemory((m) => (m.nodes.starting.n3 = { since: at(MORNING - 3 * MINUTE), uncordonWhenReady: true }));
    expect(actions(planNodes(nodes, pending, { now: MORNING, memory: slow }))).toEqual(['start-node n6', 'uncordon n6']);
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
    expect(actions(d)).toEqual(['start-node n3', 'uncordon n3']);
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
    expect(actions(d)).toEqual(['start-node n3', 'uncordon n3']);
  });
});
