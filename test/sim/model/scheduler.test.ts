// The simulated kube-scheduler: the filters that matter (cordon, taints, nodeSelector, pods, cpu,
// memory), least-allocated placement, priority order, and the scheduler's own FitError message.

import { describe, expect, it } from 'vitest';
import { schedule, tolerates, type PendingPod, type SchedulingNode } from '../../../sim/model/scheduler';
import type { Taint, Toleration } from '../../../sim/model/objects';
import { compileAntiAffinity, InterPodAntiAffinity } from '../../../sim/model/inter-pod-anti-affinity';
import { BG_PLACEMENT, BG_TOLERATIONS } from '../../../sim/scenario/world';

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

describe('scoring: TaintToleration, then NodeAffinity, then LeastAllocated', () => {
  const CANDIDATE: Taint = { key: 'graceful-scaler.io/drain-candidate', value: '1796014500', effect: 'PreferNoSchedule' };
  const loaded = (name: string, cpu: number, parts: Partial<Omit<SchedulingNode, 'name'>> = {}) =>
    node(name, { used: { pods: 5, cpu, memory: 2 * GI }, ...parts });
  const preferring = (
    weight: number,
    key: string,
    operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt',
    values?: string[],
  ) => ({
    weight,
    preference: { matchExpressions: [{ key, operator, ...(values ? { values } : {}) }] },
  });
  const staysPreferred = [preferring(100, 'graceful-scaler.io/stays', 'In', ['true'])];

  it('avoids a node with an untolerated PreferNoSchedule taint while another fits, however loaded', () => {
    const result = schedule([pod('p')], [loaded('idle', 0, { taints: [CANDIDATE] }), loaded('busy', 3000)]);
    expect(result.bound).toEqual([{ pod: 'p', node: 'busy' }]);
  });

  it('still uses it when no other node fits: the taint is a preference', () => {
    const full = loaded('full', 3000, { allocatable: { pods: 5, cpu: 3860, memory: 12 * GI } });
    expect(schedule([pod('p')], [loaded('idle', 0, { taints: [CANDIDATE] }), full]).bound).toEqual([{ pod: 'p', node: 'idle' }]);
  });

  it('lets a pod that tolerates the taint go by load alone', () => {
    const tolerant = pod('p', { tolerations: [{ key: CANDIDATE.key, operator: 'Exists' }] });
    expect(schedule([tolerant], [loaded('idle', 0, { taints: [CANDIDATE] }), loaded('busy', 3000)]).bound).toEqual([
      { pod: 'p', node: 'idle' },
    ]);
  });

  it('keeps a pod off every node its required node affinity does not match, and says so when none is left', () => {
    const required = [{ matchExpressions: [{ key: 'zone', operator: 'In' as const, values: ['2'] }] }];
    const result = schedule(
      [pod('p', { required })],
      [loaded('idle', 0, { labels: { zone: '1' } }), loaded('busy', 3000, { labels: { zone: '2' } })],
    );
    expect(result.bound).toEqual([{ pod: 'p', node: 'busy' }]);
    const nowhere = schedule([pod('q', { required })], [node('a', { labels: { zone: '1' } })]);
    expect(nowhere.unschedulable[0]?.message).toContain("1 node(s) didn't match Pod's node affinity/selector");
  });

  it('keeps replicas apart under required pod anti-affinity, by zone or by node, in the namespaces a term names', () => {
    const zoned = (name: string, zone: string) => node(name, { labels: { 'topology.kubernetes.io/zone': zone } });
    const nodes = [zoned('a', '1'), zoned('b', '1'), zoned('c', '2')];
    const perZone = compileAntiAffinity('clomo', [
      { topologyKey: 'topology.kubernetes.io/zone', labelSelector: { matchLabels: { app: 'db' } } },
    ]);
    const db = (key: string) => pod(key, { affine: { namespace: 'clomo', labels: { app: 'db' }, antiAffinity: perZone } });
    // No pod runs yet: the replicas placed are the only ones a term can meet.
    const anti = () => new InterPodAntiAffinity(new Map(nodes.map((n) => [n.name, n.labels])), [], () => []);
    const result = schedule([db('db-0'), db('db-1'), db('db-2')], nodes, anti());
    // One per zone: two bound (zone 1 and zone 2), the third waits.
    expect(new Set(result.bound.map((b) => (b.node === 'c' ? '2' : '1'))).size).toBe(2);
    expect(result.unschedulable[0]?.message).toBe(
      "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    );
    // A running pod whose term selects the newcomer keeps it out of its domain; another namespace is not selected.
    const guard = {
      namespace: 'clomo',
      labels: { app: 'guard' },
      antiAffinity: compileAntiAffinity('clomo', [
        { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } } },
      ]),
    };
    const hosts = [node('x', { labels: { 'kubernetes.io/hostname': 'x' } })];
    const guarded = new InterPodAntiAffinity(new Map(hosts.map((n) => [n.name, n.labels])), [{ pod: guard, node: 'x' }], (n) =>
      n === 'x' ? [guard] : [],
    );
    const web = (namespace: string) => pod(`web-${namespace}`, { affine: { namespace, labels: { app: 'web' } } });
    const refused = schedule([web('clomo')], hosts, guarded);
    expect(refused.unschedulable[0]?.message).toContain("1 node(s) didn't satisfy existing pods anti-affinity rules");
    expect(schedule([web('other')], hosts, guarded).bound).toEqual([{ pod: 'web-other', node: 'x' }]);
  });

  it('prefers the node a preferred term matches over a less loaded one, summing the weights of the terms matched', () => {
    const stays = loaded('stays', 3000, { labels: { 'graceful-scaler.io/stays': 'true' } });
    expect(schedule([pod('p', { preferred: staysPreferred })], [loaded('idle', 0), stays]).bound).toEqual([{ pod: 'p', node: 'stays' }]);
    const terms = [preferring(10, 'zone', 'In', ['1']), preferring(30, 'gen', 'Gt', ['3']), preferring(25, 'spot', 'DoesNotExist')];
    const nodes = [
      node('a', { labels: { zone: '1', spot: 'yes' } }), // 10
      node('b', { labels: { gen: '5' } }), // 30 + 25
      node('c', { labels: { zone: '1', gen: '2' } }), // 10 + 25
    ];
    expect(schedule([pod('p', { preferred: terms })], nodes).bound).toEqual([{ pod: 'p', node: 'b' }]);
  });

  it('ranks avoiding a PreferNoSchedule taint above a preferred term', () => {
    const labelled = { 'graceful-scaler.io/stays': 'true' };
    const result = schedule(
      [pod('p', { preferred: staysPreferred })],
      [loaded('both', 0, { labels: labelled, taints: [CANDIDATE] }), loaded('plain', 3000)],
    );
    expect(result.bound).toEqual([{ pod: 'p', node: 'plain' }]);
  });

  it('fills the preferred node, then spreads the rest by load; pods without the preference are a batch of their own', () => {
    const stays = node('stays', { labels: { 'graceful-scaler.io/stays': 'true' }, allocatable: { pods: 3, cpu: 3860, memory: 12 * GI } });
    const workers = ['w1', 'w2', 'w3', 'w4'].map((k) => pod(k, { preferred: staysPreferred }));
    const result = schedule([...workers, pod('mdm')], [stays, node('a'), node('b')]);
    // mdm comes first (by name) and takes the least loaded node; the workers fill `stays`, the last goes by load.
    expect(result.bound).toEqual([
      { pod: 'mdm', node: 'a' },
      { pod: 'w1', node: 'stays' },
      { pod: 'w2', node: 'stays' },
      { pod: 'w3', node: 'stays' },
      { pod: 'w4', node: 'b' },
    ]);
  });

  it('keeps the nodes that stay for the BG workers under the stays taint: other pods go elsewhere while they fit', () => {
    const reserved = node('stays', {
      labels: { 'graceful-scaler.io/stays': 'true' },
      taints: [{ key: 'graceful-scaler.io/stays', value: 'true', effect: 'PreferNoSchedule' }],
    });
    const bg = (k: string) =>
      pod(k, { preferred: BG_PLACEMENT.nodeAffinity!.preferredDuringSchedulingIgnoredDuringExecution, tolerations: BG_TOLERATIONS });
    // Without the taint, the least loaded node takes the MDM pod; with it, the MDM pods leave `stays` to the workers.
    expect(schedule([pod('mdm')], [loaded('busy', 3000), node('stays', { labels: { 'graceful-scaler.io/stays': 'true' } })]).bound).toEqual(
      [{ pod: 'mdm', node: 'stays' }],
    );
    const result = schedule([pod('mdm-1'), pod('mdm-2'), bg('w1'), bg('w2')], [loaded('busy', 3000), reserved]);
    expect(result.bound).toEqual([
      { pod: 'mdm-1', node: 'busy' },
      { pod: 'mdm-2', node: 'busy' },
      { pod: 'w1', node: 'stays' },
      { pod: 'w2', node: 'stays' },
    ]);
  });

  it('matches nothing with an empty term, and metadata.name through matchFields', () => {
    const empty = [{ weight: 100, preference: {} }];
    expect(schedule([pod('p', { preferred: empty })], [node('b'), node('a')]).bound).toEqual([{ pod: 'p', node: 'a' }]);
    const byName = [{ weight: 50, preference: { matchFields: [{ key: 'metadata.name', operator: 'In' as const, values: ['b'] }] } }];
    expect(schedule([pod('p', { preferred: byName })], [node('b'), node('a')]).bound).toEqual([{ pod: 'p', node: 'b' }]);
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
