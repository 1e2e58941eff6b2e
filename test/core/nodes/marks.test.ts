// The node planner's placement marks: the drain-candidate taint on the nodes the scale-down would
// take next, the stays label on those it would take last, reconciled every tick from the nodes.

import { describe, expect, it } from 'vitest';
import { BATCH_DEPLOYABLE_LABEL, BUSY, DRAINING_SINCE, IGNORE_NODE, STAYS_LABEL } from '../../../core/annotations';
import {
  MINUTE,
  NOW,
  annotated,
  at,
  buildMemory,
  buildNode,
  buildPod,
  buildPolicy,
  cordoned,
  createdAt,
  daemon,
  deallocated,
  drainCandidate,
  grace,
  inPool,
  nodeAnnotated,
  nodeLabelled,
  notReady,
  onNode,
  podsOf,
  stays,
  staysTainted,
  tainted,
} from '../../builders/views';
import { MORNING, actions, lowForTenMinutes, marks, override, planNodes, quietNight, skipsOf } from './fixtures';

const reasonOf = (d: ReturnType<typeof planNodes>, node: string, mark: string) =>
  d.actions.find((a) => a.type === 'mark-node' && a.node === node && a.mark === mark)?.reason;

describe('node planner: drain candidates', () => {
  it('taints the nodes the scale-down would drain next, soonest empty first, while the surplus waits out its delay', () => {
    const { nodes, pods } = quietNight();
    const d = planNodes(nodes, pods);
    expect(actions(d)).toEqual([]);
    expect(marks(d)).toEqual(['mark n4 +drain-candidate', 'mark n3 +drain-candidate', 'mark n1 +stays', 'mark n2 +stays']);
    expect(reasonOf(d, 'n4', 'drain-candidate')).toContain(
      '4 nodes running or on the way > 2 desired: 1st of 2 nodes the scale-down would drain next if the surplus persists (1 workload pod here)',
    );
    expect(reasonOf(d, 'n3', 'drain-candidate')).toContain('2nd of 2 nodes');
  });

  it('marks the next candidate once one is cordoned, and leaves our taint on the node being drained', () => {
    const { nodes, pods } = quietNight();
    const d = planNodes([...nodes.slice(0, 3), buildNode('n4', drainCandidate)], pods, { memory: buildMemory(lowForTenMinutes) });
    expect(actions(d)).toEqual(['cordon n4', 'evict clomo/panel-n4-0']);
    expect(marks(d)).toEqual(['mark n3 +drain-candidate', 'mark n1 +stays', 'mark n2 +stays']);
  });

  it('does nothing when every mark already is where it belongs', () => {
    const { pods } = quietNight();
    const nodes = [buildNode('n1', stays), buildNode('n2', stays), buildNode('n3', drainCandidate), buildNode('n4', drainCandidate)];
    expect(marks(planNodes(nodes, pods))).toEqual([]);
  });

  it('takes our taint off when demand comes back, in the same tick as the scale-up', () => {
    const nodes = [buildNode('n1'), buildNode('n2'), buildNode('n3', drainCandidate), buildNode('n4', drainCandidate)];
    const d = planNodes(nodes, [], { now: MORNING });
    expect(actions(d)).toEqual(['add-nodes user 1']);
    expect(marks(d).filter((m) => m.includes('drain-candidate'))).toEqual(['mark n3 -drain-candidate', 'mark n4 -drain-candidate']);
    expect(reasonOf(d, 'n3', 'drain-candidate')).toBe('no longer a drain candidate: 4 nodes running or on the way, 5 desired: no surplus');
  });

  it('never taints a protected node, and takes our taint off a node that became protected', () => {
    const { nodes, pods } = quietNight();
    const batch = buildNode('n4', nodeLabelled({ [BATCH_DEPLOYABLE_LABEL]: 'true' }), drainCandidate);
    const d = planNodes([...nodes.slice(0, 3), batch], pods);
    expect(marks(d)).toEqual([
      'mark n4 -drain-candidate',
      'mark n3 +drain-candidate',
      'mark n2 +drain-candidate',
      'mark n1 +stays',
      'mark n4 +stays',
    ]);
    expect(reasonOf(d, 'n4', 'drain-candidate')).toBe(`no longer a drain candidate: labelled ${BATCH_DEPLOYABLE_LABEL}, never drained`);
    expect(reasonOf(d, 'n4', 'stays')).toContain(`labelled ${BATCH_DEPLOYABLE_LABEL}, never drained`);
  });

  it('takes our taint off the nodes it uncordons (a drain cancelled, a VM started), and leaves it on nodes still cordoned', () => {
    const draining = buildNode('n4', cordoned, nodeAnnotated({ [DRAINING_SINCE]: at(MORNING - 5 * MINUTE) }), drainCandidate);
    const nodes = [
      buildNode('n1'),
      buildNode('n2'),
      buildNode('n3'),
      draining,
      buildNode('n5', deallocated, drainCandidate),
      buildNode('n6', deallocated, drainCandidate),
    ];
    const memory = buildMemory((m) => (m.nodes.drains.n4 = { since: at(MORNING - 5 * MINUTE), reason: 'night' }));
    const d = planNodes(nodes, [], { now: MORNING, memory });
    expect(actions(d)).toEqual(['uncordon n4', 'start-node n5', 'uncordon n5']);
    expect(marks(d).filter((m) => m.includes('drain-candidate'))).toEqual(['mark n4 -drain-candidate', 'mark n5 -drain-candidate']);
    expect(reasonOf(d, 'n5', 'drain-candidate')).toBe('uncordoned: it takes pods again, so it is no drain candidate');
  });

  it('leaves nodes outside the managed pools and ignored nodes alone, and no taint but ours is ever ours', () => {
    const { nodes, pods } = quietNight();
    const d = planNodes(
      [
        ...nodes.slice(0, 3),
        buildNode('n4', tainted('example.com/spot', 'true', 'PreferNoSchedule')),
        buildNode('s1', inPool('system'), drainCandidate, stays),
        buildNode('i1', nodeAnnotated({ [IGNORE_NODE]: 'true' }), drainCandidate, stays),
      ],
      pods,
    );
    expect(marks(d)).toEqual(['mark n4 +drain-candidate', 'mark n3 +drain-candidate', 'mark n1 +stays', 'mark n2 +stays']);
  });

  it('never counts nodes on their way against Ready ones, and always leaves a node untainted', () => {
    const booting = (name: string) => buildNode(name, notReady, createdAt(NOW - 2 * MINUTE));
    // 2 up, 2 joining, 2 desired: no Ready node is in surplus.
    expect(marks(planNodes([buildNode('n1'), buildNode('n2'), booting('n3'), booting('n4')], []))).toEqual([]);
    // Nothing desired at all: one of the two stays untainted, since a preference every node carries prefers nothing.
    const none = buildPolicy((p) => (p.nodes.minNodes = 0));
    const d = planNodes([buildNode('n1'), buildNode('n2')], [], { policy: none });
    expect(marks(d)).toEqual(['mark n2 +drain-candidate']);
  });

  it('keeps the taint to the first 10 of a large surplus, in the scale-down order', () => {
    const nodes = Array.from({ length: 24 }, (_, i) => buildNode(`n${String(i).padStart(2, '0')}`, drainCandidate));
    const d = planNodes(nodes, [], { policy: buildPolicy((p) => (p.nodes.maxNodes = 30)) });
    // Empty nodes drain newest first: n23 … n14 are the 10; n13 … n00 are not (and n00, n01 stay).
    const off = Array.from({ length: 14 }, (_, i) => `mark n${String(i).padStart(2, '0')} -drain-candidate`);
    expect(marks(d)).toEqual([...off, 'mark n00 +stays', 'mark n01 +stays']);
    const fresh = planNodes(
      nodes.map((n) => ({ ...n, taints: [] })),
      [],
      { policy: buildPolicy((p) => (p.nodes.maxNodes = 30)) },
    );
    expect(fresh.actions.find((a) => a.type === 'mark-node')?.reason).toContain(
      'only the first 10 of the 22 above desired carry the taint',
    );
  });

  it('does nothing while node scaling is paused', () => {
    const { nodes, pods } = quietNight();
    expect(marks(planNodes([...nodes.slice(0, 3), buildNode('n4', stays)], pods, { memory: override({}) }))).toEqual([]);
  });
});

describe('node planner: the nodes that stay', () => {
  const TEN = Date.parse('2026-11-30T10:00:00+09:00');
  const busyWorkers = (node: string, count: number) =>
    Array.from({ length: count }, (_, i) => buildPod(`bg-${node}-${i}`, onNode(node), grace(72000), annotated({ [BUSY]: 'true' })));
  const day = () => {
    const nodes = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6'].map((n) => buildNode(n));
    const pods = [
      ...nodes.map((n) => buildPod(`kube-proxy-${n.name}`, daemon, onNode(n.name))),
      ...podsOf('mdm', 'n1', 8),
      ...busyWorkers('n2', 2),
      ...busyWorkers('n5', 1),
      ...podsOf('mdm', 'n3', 4),
      ...podsOf('mdm', 'n4', 3),
      ...podsOf('mdm', 'n6', 2),
    ];
    return { nodes, pods };
  };

  it('labels the nodes the scale-down would take last, as many as the coming night keeps', () => {
    const { nodes, pods } = day();
    const d = planNodes(nodes, pods, { now: TEN });
    // 6 up, the day's minimum 5: n6 (fewest pods) is the one candidate; the night keeps 2: the busy workers' nodes.
    expect(marks(d)).toEqual(['mark n6 +drain-candidate', 'mark n2 +stays', 'mark n5 +stays']);
    expect(reasonOf(d, 'n2', 'stays')).toBe(
      'one of the 2 nodes kept longest: drained last of the 5 up (2 workload pods, 2 slow to leave); 2 nodes expected to stay over the coming day: 2 at Mon 21:00 (schedule minimum 2, no demand learned for it)',
    );
  });

  it('keeps as many as the learned demand says the night needs, when more than the minimum', () => {
    const { nodes, pods } = day();
    const memory = buildMemory((m) => {
      m.nodes.demand = {};
      for (let minute = 0; minute < 24 * 60; minute += 15)
        m.nodes.demand[`work:${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`] = 3;
    });
    const d = planNodes(nodes, pods, { now: TEN, memory });
    expect(marks(d)).toEqual(['mark n6 +drain-candidate', 'mark n1 +stays', 'mark n2 +stays', 'mark n5 +stays']);
    expect(reasonOf(d, 'n1', 'stays')).toContain(
      '3 nodes expected to stay over the coming day: 3 at Mon 21:00 (schedule minimum 2, learned demand 3)',
    );
  });

  it('leaves the label where it is while its node stays among twice as many drained last', () => {
    const { nodes, pods } = day();
    // Drained last first: n2, n5 (busy workers), n1 (8 pods), n3 (4), n4 (3). n1 is among the 4
    // drained last, so it keeps its label, and n2 is labelled beside it rather than n5.
    const kept = planNodes([buildNode('n1', stays), ...nodes.slice(1)], pods, { now: TEN });
    expect(marks(kept)).toEqual(['mark n6 +drain-candidate', 'mark n2 +stays']);
    // n4 is not among them: its label goes, and the two drained last get it.
    const moved = planNodes([...nodes.slice(0, 3), buildNode('n4', stays), ...nodes.slice(4)], pods, { now: TEN });
    expect(marks(moved)).toEqual(['mark n4 -stays', 'mark n6 +drain-candidate', 'mark n2 +stays', 'mark n5 +stays']);
    expect(reasonOf(moved, 'n4', 'stays')).toBe(
      'no longer expected to stay: not among the 4 nodes drained last; 2 nodes expected to stay over the coming day: 2 at Mon 21:00 (schedule minimum 2, no demand learned for it)',
    );
  });

  it('takes the label off a node that becomes a drain candidate: never both on one node', () => {
    const { nodes, pods } = day();
    const d = planNodes([...nodes.slice(0, 5), buildNode('n6', stays)], pods, { now: TEN });
    expect(marks(d)).toEqual(['mark n6 -stays', 'mark n6 +drain-candidate', 'mark n2 +stays', 'mark n5 +stays']);
    expect(reasonOf(d, 'n6', 'stays')).toBe('no longer expected to stay: a drain candidate now');
  });

  it('labels nothing when every node up would carry the label, and keeps the labels already there', () => {
    const two = [buildNode('n1'), buildNode('n2', stays)];
    expect(marks(planNodes(two, podsOf('mdm', 'n1', 3)))).toEqual([]);
  });

  describe('with nodes.staysTaint', () => {
    const reserving = buildPolicy((p) => (p.nodes.staysTaint = true));

    it('taints the nodes it labels, so other pods prefer the nodes that go', () => {
      const { nodes, pods } = day();
      const d = planNodes(nodes, pods, { now: TEN, policy: reserving });
      expect(marks(d)).toEqual([
        'mark n6 +drain-candidate',
        'mark n2 +stays',
        'mark n5 +stays',
        'mark n2 +stays-taint',
        'mark n5 +stays-taint',
      ]);
      expect(reasonOf(d, 'n2', 'stays-taint')).toBe(
        'labelled graceful-scaler.io/stays=true: pods that do not tolerate the taint prefer the nodes that go, so this one keeps its room for long-running work (nodes.staysTaint)',
      );
    });

    it('takes the taint off with the label, and off a node that becomes a drain candidate', () => {
      const { nodes, pods } = day();
      // n4 loses its label (not among the 4 drained last), n6 becomes the drain candidate.
      const marked = [...nodes.slice(0, 3), buildNode('n4', stays, staysTainted), buildNode('n5'), buildNode('n6', stays, staysTainted)];
      const d = planNodes(marked, pods, { now: TEN, policy: reserving });
      expect(marks(d)).toEqual([
        'mark n4 -stays',
        'mark n6 -stays',
        'mark n4 -stays-taint',
        'mark n6 -stays-taint',
        'mark n6 +drain-candidate',
        'mark n2 +stays',
        'mark n5 +stays',
        'mark n2 +stays-taint',
        'mark n5 +stays-taint',
      ]);
      expect(reasonOf(d, 'n4', 'stays-taint')).toBe('no longer labelled graceful-scaler.io/stays=true');
    });

    it('taints a node already labelled, and leaves label and taint alone once both are there', () => {
      const { nodes, pods } = day();
      const labelled = [nodes[0]!, buildNode('n2', stays), ...nodes.slice(2, 4), buildNode('n5', stays), buildNode('n6', drainCandidate)];
      expect(marks(planNodes(labelled, pods, { now: TEN, policy: reserving }))).toEqual(['mark n2 +stays-taint', 'mark n5 +stays-taint']);
      const both = labelled.map((n) => (n.labels[STAYS_LABEL] ? buildNode(n.name, stays, staysTainted) : n));
      expect(marks(planNodes(both, pods, { now: TEN, policy: reserving }))).toEqual([]);
    });

    it('takes every stays taint off, keeping the labels, once the policy no longer asks for it', () => {
      const { nodes, pods } = day();
      const both = [
        nodes[0]!,
        buildNode('n2', stays, staysTainted),
        ...nodes.slice(2, 4),
        buildNode('n5', stays, staysTainted),
        buildNode('n6', drainCandidate),
      ];
      const d = planNodes(both, pods, { now: TEN });
      expect(marks(d)).toEqual(['mark n2 -stays-taint', 'mark n5 -stays-taint']);
      expect(reasonOf(d, 'n2', 'stays-taint')).toBe('nodes.staysTaint is off');
    });
  });

  it('sends at most 20 marks a tick, taking marks off first, and says what waits', () => {
    const nodes = Array.from({ length: 25 }, (_, i) => buildNode(`n${String(i).padStart(2, '0')}`, drainCandidate));
    const pods = nodes.flatMap((n) => podsOf('mdm', n.name, 20));
    const d = planNodes(nodes, pods, { policy: buildPolicy((p) => (p.nodes.maxNodes = 40)) });
    expect(marks(d)).toHaveLength(20);
    expect(marks(d).every((m) => m.endsWith('-drain-candidate'))).toBe(true);
    expect(skipsOf(d, 'budget-exhausted')[0]?.reason).toBe('7 node marks: budget of 20 node marks per run used; deferred to the next tick');
  });
});
