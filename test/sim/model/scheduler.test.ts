// The simulated kube-scheduler: the filters that matter (cordon, taints, nodeSelector, pods, cpu,
// memory), least-allocated placement, priority order, and the scheduler's own FitError message.

import { describe, expect, it } from 'vitest';
import { schedule, tolerates, type PendingPod, type SchedulingNode } from '../../../sim/model/scheduler';
import type { Taint, Toleration } from '../../../sim/model/objects';

const GI = 1024 ** 3;

function node(name: string, parts: Partial<Omit<SchedulingNode, 'name'>> = {}): SchedulingNode {
  return {
    name,
    labels: {},
    taints: [],
    unschedulable: false,
    allocatable: { pods: 30, cpu: 3860, memory: 12 * GI },
    used: { pods: 0, cpu: 0, memory: 0 },
    ...parts,
  };
}

function pod(key: string, parts: Partial<Omit<PendingPod, 'key'>> = {}): PendingPod {
  return {
    key,
    priority: 0,
    created: 0,
    nodeSelector: undefined,
    tolerations: [],
    requests: { cpu: 250, memory: 512 * 1024 ** 2 },
    ...parts,
  };
}

const SHUTDOWN: Taint = { key: 'node.cloudprovider.kubernetes.io/shutdown', effect: 'NoSchedule' };

describe('placement', () => {
  it('puts a pod on the node with the least requested cpu and memory', () => {
    const busy = node('a', { used: { pods: 10, cpu: 3000, memory: 8 * GI } });
    const idle = node('b', { used: { pods: 10, cpu: 500, memory: 2 * GI } });
    expect(schedule([pod('p')], [busy, idle]).bound).toEqual([{ pod: 'p', node: 'b' }]);
  });

  it('spreads a batch of equal pods over equal nodes and counts what it placed', () => {
    const nodes = [node('a'), node('b')];
    const result = schedule([pod('p1'), pod('p2'), pod('p3'), pod('p4')], nodes);
    const perNode = result.bound.reduce<Record<string, number>>((acc, b) => ({ ...acc, [b.node]: (acc[b.node] ?? 0) + 1 }), {});
    expect(perNode).toEqual({ a: 2, b: 2 });
    expect(nodes.map((n) => n.used.pods)).toEqual([2, 2]);
  });

  it('breaks ties by fewer pods, then by name, so a seed replays exactly', () => {
    const result = schedule(
      [pod('p', { requests: { cpu: 0, memory: 0 } })],
      [node('b', { used: { pods: 3, cpu: 0, memory: 0 } }), node('c'), node('a')],
    );
    expect(result.bound).toEqual([{ pod: 'p', node: 'a' }]);
  });

  it('places higher priority first when there is room for one only', () => {
    const full = node('a', { allocatable: { pods: 1, cpu: 3860, memory: 12 * GI } });
    const result = schedule([pod('low', { created: 1 }), pod('high', { priority: 1000, created: 2 })], [full]);
    expect(result.bound).toEqual([{ pod: 'high', node: 'a' }]);
    expect(result.unschedulable.map((u) => u.pod)).toEqual(['low']);
  });

  it('places equal priority first come, first served', () => {
    const full = node('a', { allocatable: { pods: 1, cpu: 3860, memory: 12 * GI } });
    expect(schedule([pod('second', { created: 2 }), pod('first', { created: 1 })], [full]).bound).toEqual([{ pod: 'first', node: 'a' }]);
  });
});

describe('filters and the FitError message', () => {
  const cases: { name: string; node: SchedulingNode; pod?: Partial<PendingPod>; reason: string }[] = [
    { name: 'cordoned', node: node('n', { unschedulable: true }), reason: '1 node(s) were unschedulable' },
    {
      name: 'untolerated taint',
      node: node('n', { taints: [SHUTDOWN] }),
      reason: '1 node(s) had untolerated taint {node.cloudprovider.kubernetes.io/shutdown: }',
    },
    {
      name: 'taint with a value',
      node: node('n', { taints: [{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' }] }),
      reason: '1 node(s) had untolerated taint {CriticalAddonsOnly: true}',
    },
    {
      name: 'nodeSelector',
      node: node('n'),
      pod: { nodeSelector: { 'clomo/BatchDeployable': 'true' } },
      reason: "1 node(s) didn't match Pod's node affinity/selector",
    },
    { name: 'max pods', node: node('n', { used: { pods: 30, cpu: 0, memory: 0 } }), reason: '1 Too many pods' },
    { name: 'cpu', node: node('n', { used: { pods: 1, cpu: 3700, memory: 0 } }), reason: '1 Insufficient cpu' },
    { name: 'memory', node: node('n', { used: { pods: 1, cpu: 0, memory: 12 * GI } }), reason: '1 Insufficient memory' },
  ];
  it.each(cases)('refuses a node: $name', ({ node: n, pod: parts, reason }) => {
    const result = schedule([pod('p', parts)], [n]);
    expect(result.bound).toEqual([]);
    expect(result.unschedulable).toEqual([
      {
        pod: 'p',
        message: `0/1 nodes are available: ${reason}. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.`,
      },
    ]);
  });

  it('counts reasons over all nodes, sorted as the scheduler prints them', () => {
    const nodes = [
      node('a', { taints: [SHUTDOWN] }),
      node('b', { taints: [SHUTDOWN] }),
      node('c', { used: { pods: 30, cpu: 0, memory: 0 } }),
    ];
    expect(schedule([pod('p')], nodes).unschedulable[0]?.message).toBe(
      '0/3 nodes are available: 1 Too many pods, 2 node(s) had untolerated taint {node.cloudprovider.kubernetes.io/shutdown: }. ' +
        'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    );
  });

  it('lists every resource a node lacks', () => {
    const n = node('a', { used: { pods: 30, cpu: 3860, memory: 12 * GI } });
    expect(schedule([pod('p')], [n]).unschedulable[0]?.message).toContain('1 Insufficient cpu, 1 Insufficient memory, 1 Too many pods');
  });

  it('takes a cordoned node for a pod that tolerates the unschedulable taint (a DaemonSet-like pod)', () => {
    const result = schedule(
      [pod('ds', { tolerations: [{ operator: 'Exists' }] })],
      [node('a', { unschedulable: true, taints: [SHUTDOWN] })],
    );
    expect(result.bound).toEqual([{ pod: 'ds', node: 'a' }]);
  });

  it('ignores PreferNoSchedule when filtering', () => {
    expect(schedule([pod('p')], [node('a', { taints: [{ key: 'soft', effect: 'PreferNoSchedule' }] })]).bound).toHaveLength(1);
  });

  it('places by nodeSelector on the matching pool only', () => {
    const batch = node('batch', { labels: { 'clomo/BatchDeployable': 'true' }, used: { pods: 20, cpu: 3000, memory: 10 * GI } });
    const user = node('user');
    expect(schedule([pod('job', { nodeSelector: { 'clomo/BatchDeployable': 'true' } })], [user, batch]).bound).toEqual([
      { pod: 'job', node: 'batch' },
    ]);
  });
});

describe('toleration matching (Kubernetes ToleratesTaint)', () => {
  const taint: Taint = { key: 'k', value: 'v', effect: 'NoSchedule' };
  const cases: { toleration: Toleration; matches: boolean }[] = [
    { toleration: { operator: 'Exists' }, matches: true },
    { toleration: { key: 'k', operator: 'Exists' }, matches: true },
    { toleration: { key: 'k', operator: 'Equal', value: 'v' }, matches: true },
    { toleration: { key: 'k', value: 'v' }, matches: true },
    { toleration: { key: 'k', operator: 'Equal', value: 'w' }, matches: false },
    { toleration: { key: 'other', operator: 'Exists' }, matches: false },
    { toleration: { key: 'k', operator: 'Exists', effect: 'NoExecute' }, matches: false },
    { toleration: { key: 'k', operator: 'Exists', effect: 'NoSchedule' }, matches: true },
  ];
  it.each(cases)('$toleration → $matches', ({ toleration, matches }) => {
    expect(tolerates(toleration, taint)).toBe(matches);
  });
});
