// The node planner, how many nodes: the terms, the bounds, the pools it manages.

import { describe, expect, it } from 'vitest';
import {
  buildNode,
  buildPod,
  buildPolicy,
  daemon,
  inPool,
  nodeLabelled,
  onNode,
  ownedBy,
  podsOf,
  requiringNodes,
  unschedulable,
} from '../../builders/views';
import { MORNING, planNodes, quietNight } from './fixtures';

describe('node planner: how many nodes', () => {
  it('counts workload pods per running node against the target, the minimum and the fit', () => {
    const { nodes, pods } = quietNight();
    const d = planNodes(nodes, pods);
    expect(d.summary.nodes).toMatchObject({ desired: 2, running: 4, workloadPods: 13, minNodes: 2, maxNodes: 12 });
    expect(d.summary.nodes?.why).toContain('minimum 2');
    expect(d.summary.nodes?.why).toContain('13 workload pods / 20 per node = 1');
  });

  it('raises the minimum inside a schedule window', () => {
    const { nodes, pods } = quietNight();
    const d = planNodes(nodes, pods, { now: MORNING });
    expect(d.summary.nodes?.desired).toBe(5);
    expect(d.summary.nodes?.why).toContain('window Mon-Fri 07:30-21:00 raises the minimum to 5');
  });

  it('sizes for the lower targetPodsPerNode of an open window, and says which window', () => {
    const nodes = ['n1', 'n2', 'n3', 'n4'].map((n) => buildNode(n));
    const pods = [...podsOf('mdm', 'n1', 15), ...podsOf('mdm', 'n2', 15)];
    const policy = buildPolicy((p) => p.nodes.schedule.push({ days: 'Mon-Fri', hours: '07:00-10:00', targetPodsPerNode: 5 }));
    const inside = planNodes(nodes, pods, { now: MORNING, policy });
    expect(inside.summary.nodes?.desired).toBe(6);
    expect(inside.summary.nodes?.why).toContain('30 workload pods / 5 per node (window Mon-Fri 07:00-10:00) = 6');
    // After 10:00 the section's 20 applies again; the 07:30-21:00 window's minimum of 5 is what holds.
    const after = planNodes(nodes, pods, { now: MORNING + 3 * 3_600_000, policy });
    expect(after.summary.nodes?.desired).toBe(5);
    expect(after.summary.nodes?.why).toContain('30 workload pods / 20 per node = 2');
  });

  it('treats a holiday like Sunday: the weekday window does not apply', () => {
    const { nodes, pods } = quietNight();
    const d = planNodes(nodes, pods, { now: Date.parse('2027-01-11T07:35:00+09:00') });
    expect(d.summary.nodes?.minNodes).toBe(2);
  });

  it('needs enough nodes to fit the pods at capacity (30 pods minus DaemonSets)', () => {
    const nodes = ['n1', 'n2'].map((n) => buildNode(n));
    const pods = [
      ...nodes.map((n) => buildPod(`ds-${n.name}`, daemon, onNode(n.name))),
      ...podsOf('mdm', 'n1', 29),
      ...podsOf('bg', 'n2', 29),
    ];
    const d = planNodes(nodes, pods, { policy: buildPolicy((p) => (p.nodes.targetPodsPerNode = 40)) });
    // 58 pods at 29 per node = 2; target 40 per node = 2; min 2
    expect(d.summary.nodes?.desired).toBe(2);
    expect(d.summary.nodes?.why).toContain('58 pods at 29 per node = 2');
  });

  it('caps the desired count at the maximum and says so', () => {
    const nodes = ['n1', 'n2'].map((n) => buildNode(n));
    const pods = Array.from({ length: 400 }, (_, i) => buildPod(`web-${i}`, ownedBy('ReplicaSet', 'web'), unschedulable));
    const d = planNodes(nodes, pods);
    expect(d.summary.nodes?.desired).toBe(12);
    expect(d.summary.nodes?.why).toContain('capped at the maximum 12');
  });

  it("counts a pending pod by its required node affinity: on any managed node its terms match, not on another pool's", () => {
    const zone = (z: string) => nodeLabelled({ 'topology.kubernetes.io/zone': z });
    // The user pool's first node is in zone 1; n2 is in zone 2.
    const nodes = [buildNode('sys1', inPool('system')), buildNode('n1', zone('1')), buildNode('n2', zone('2'))];
    const waiting = (name: string, ...terms: Record<string, string>[]) =>
      Array.from({ length: 30 }, (_, i) => buildPod(`${name}-${i}`, ownedBy('ReplicaSet', name), unschedulable, requiringNodes(...terms)));
    const zoned = planNodes(nodes, waiting('zone2', { 'topology.kubernetes.io/zone': '2' }));
    expect(zoned.summary.nodes).toMatchObject({ workloadPods: 30 });
    expect(zoned.summary.nodes?.why).toContain('30 pods Unschedulable');
    // Pods that require the system pool are not the user pool's load.
    const system = planNodes(nodes, waiting('sys', { 'kubernetes.azure.com/agentpool': 'system' }));
    expect(system.summary.nodes).toMatchObject({ workloadPods: 0, desired: 2, pendingPods: 30 });
    // Said, so 30 pending pods and a desired count that ignores them do not read as a scaler asleep.
    expect(system.notes).toContain(
      '30 pending pods (clomo/sys-0, …) fit no node of the managed pools (user) by node selector, required node affinity or tolerations: not counted, and no node is started for them',
    );
    expect(zoned.notes.some((n) => n.includes('fit no node of the managed pools'))).toBe(false);
  });

  it('does not count pods or nodes of pools it does not manage', () => {
    const nodes = [buildNode('sys1', inPool('system')), buildNode('n1'), buildNode('n2')];
    const pods = [...podsOf('coredns', 'sys1', 25), ...podsOf('mdm', 'n1', 3)];
    const d = planNodes(nodes, pods);
    expect(d.summary.nodes).toMatchObject({ workloadPods: 3, running: 2 });
    expect(d.actions.some((a) => 'node' in a && a.node === 'sys1')).toBe(false);
  });
});
