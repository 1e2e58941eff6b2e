// Pods over simulated time: graceful deletion ending when the process exits or the grace period
// does, declared work (a BG worker finishing its job on SIGTERM, a Job succeeding), the scheduler
// and kubelet, and the ReplicaSet controller (replacements, scale-down by pod-deletion-cost).

import { describe, expect, it } from 'vitest';
import { type Interruption, type PodWork } from '../../../sim/model/cluster';
import { DEPLOYMENTS, NODES, PODS } from '../../../sim/model/resources';
import type { DeepReadonly, Pod } from '../../../sim/model/objects';
import { HOUR, MINUTE, SECOND, START, livePods, smallCluster } from '../../builders/sim-cluster';

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

function onePod(app = 'web', work?: PodWork, grace = 30): { cluster: ReturnType<typeof smallCluster>; pod: DeepReadonly<Pod> } {
  const cluster = smallCluster(3);
  cluster.addDeployment({ name: app, namespace: 'clomo', replicas: 1, grace });
  const pod = livePods(cluster, 'clomo', app)[0]!;
  if (work !== undefined) cluster.setPodWork({ namespace: 'clomo', name: pod.metadata.name }, work);
  return { cluster, pod };
}

describe('graceful deletion', () => {
  it('sets deletionTimestamp = now + grace and removes the pod when it exits (2 s after SIGTERM by default)', () => {
    const { cluster, pod } = onePod();
    cluster.advance(10 * SECOND);
    const deleted = cluster.delete(PODS, { namespace: 'clomo', name: pod.metadata.name }) as DeepReadonly<Pod>;
    expect(deleted.metadata.deletionTimestamp).toBe(iso(START + 40 * SECOND));
    expect(deleted.metadata.deletionGracePeriodSeconds).toBe(30);
    cluster.advance(1999);
    expect(cluster.pod('clomo', pod.metadata.name)?.metadata.deletionTimestamp).toBeDefined();
    cluster.advance(1);
    expect(cluster.pod('clomo', pod.metadata.name)).toBeUndefined();
  });

  it('lets a BG worker finish its current job within a 20-hour grace period, then removes it', () => {
    const { cluster, pod } = onePod('bg', { endsAt: START + 3 * HOUR, onSigterm: 'finish-work' }, 72000);
    cluster.delete(PODS, { namespace: 'clomo', name: pod.metadata.name });
    cluster.advance(3 * HOUR - SECOND);
    expect(cluster.pod('clomo', pod.metadata.name)?.status.phase).toBe('Running');
    cluster.advance(SECOND);
    expect(cluster.pod('clomo', pod.metadata.name)).toBeUndefined();
    expect(cluster.interruptions).toEqual([]);
  });

  it('kills a worker whose job outlasts the grace period and records the interruption', () => {
    const { cluster, pod } = onePod('bg', { endsAt: START + HOUR, onSigterm: 'finish-work' }, 60);
    cluster.delete(PODS, { namespace: 'clomo', name: pod.metadata.name });
    cluster.advance(60 * SECOND);
    expect(cluster.pod('clomo', pod.metadata.name)).toBeUndefined();
    expect(cluster.interruptions).toEqual<Interruption[]>([
      {
        at: START + 60 * SECOND,
        namespace: 'clomo',
        name: pod.metadata.name,
        uid: pod.metadata.uid,
        node: pod.spec.nodeName,
        owner: { kind: 'ReplicaSet', name: pod.metadata.ownerReferences![0]!.name },
        cause: 'grace-period-expired',
        workEndsAt: START + HOUR,
      },
    ]);
  });

  it('keeps a process that ignores SIGTERM until the end of its grace period', () => {
    const { cluster, pod } = onePod('web', { onSigterm: 'ignore' });
    cluster.delete(PODS, { namespace: 'clomo', name: pod.metadata.name });
    cluster.advance(29 * SECOND);
    expect(cluster.pod('clomo', pod.metadata.name)).toBeDefined();
    cluster.advance(SECOND);
    expect(cluster.pod('clomo', pod.metadata.name)).toBeUndefined();
  });

  it('honours a shorter grace on a second delete but never lengthens it', () => {
    const { cluster, pod } = onePod('web', { onSigterm: 'ignore' });
    const ref = { namespace: 'clomo', name: pod.metadata.name };
    cluster.delete(PODS, ref, { gracePeriodSeconds: 20 });
    cluster.delete(PODS, ref, { gracePeriodSeconds: 60 });
    expect(cluster.pod('clomo', pod.metadata.name)?.metadata.deletionGracePeriodSeconds).toBe(20);
    cluster.delete(PODS, ref, { gracePeriodSeconds: 5 });
    cluster.advance(5 * SECOND);
    expect(cluster.pod('clomo', pod.metadata.name)).toBeUndefined();
  });

  it('removes a pod at once with gracePeriodSeconds 0, and an unscheduled pod at once whatever the grace', () => {
    const { cluster, pod } = onePod();
    cluster.delete(PODS, { namespace: 'clomo', name: pod.metadata.name }, { gracePeriodSeconds: 0 });
    expect(cluster.pod('clomo', pod.metadata.name)).toBeUndefined();
    cluster.create(
      PODS,
      { metadata: { name: 'stray' }, spec: { containers: [{ name: 'c', image: 'x' }], nodeSelector: { nowhere: 'true' } } },
      'clomo',
    );
    cluster.advance(0);
    cluster.delete(PODS, { namespace: 'clomo', name: 'stray' });
    expect(cluster.pod('clomo', 'stray')).toBeUndefined();
  });
});

describe('declared work', () => {
  it('a Job pod succeeds when its work is done and stops counting on its node', () => {
    const cluster = smallCluster(3);
    const pod = cluster.addJobPod({ job: 'clomo-daily-batch-29012345', namespace: 'clomo', cpu: '2', memory: '6Gi', runsForMs: 20 * HOUR });
    const node = pod.spec.nodeName!;
    const before = cluster.nodeUsage(node);
    const ended: string[] = [];
    cluster.subscribe({ workEnded: (p) => ended.push(`${p.metadata.name}:${p.status.phase}`) });
    cluster.advance(20 * HOUR - SECOND);
    expect(cluster.pod('clomo', pod.metadata.name)?.status.phase).toBe('Running');
    cluster.advance(SECOND);
    expect(cluster.pod('clomo', pod.metadata.name)?.status.phase).toBe('Succeeded');
    expect(ended).toEqual([`${pod.metadata.name}:Succeeded`]);
    expect(cluster.nodeUsage(node)).toEqual({ pods: before.pods - 1, cpu: before.cpu - 2000, memory: before.memory - 6 * 1024 ** 3 });
  });

  it('an idle worker (work done, not stopped) stays Running and tells the listener, which may give it the next job', () => {
    const { cluster, pod } = onePod('bg', { endsAt: START + MINUTE, onSigterm: 'finish-work' });
    const ref = { namespace: 'clomo', name: pod.metadata.name };
    cluster.subscribe({ workEnded: () => cluster.setPodWork(ref, { endsAt: cluster.now() + HOUR, onSigterm: 'finish-work' }) });
    cluster.advance(2 * MINUTE);
    expect(cluster.pod('clomo', pod.metadata.name)?.status.phase).toBe('Running');
    expect(cluster.podWork('clomo', pod.metadata.name)?.endsAt).toBe(START + MINUTE + HOUR);
  });
});

describe('scheduler and kubelet', () => {
  it('binds a new pod, then the kubelet starts it after podStartMs', () => {
    const cluster = smallCluster(3);
    cluster.addDeployment({ name: 'web', namespace: 'clomo', replicas: 1 });
    cluster.patch(DEPLOYMENTS, { namespace: 'clomo', name: 'web' }, { spec: { replicas: 2 } }, 'merge');
    cluster.advance(0);
    const fresh = livePods(cluster, 'clomo', 'web').find((p) => p.status.phase === 'Pending')!;
    expect(fresh.spec.nodeName).toMatch(/^aks-user-/);
    expect(fresh.status.conditions?.find((c) => c.type === 'PodScheduled')?.status).toBe('True');
    cluster.advance(5 * SECOND);
    expect(cluster.pod('clomo', fresh.metadata.name)).toMatchObject({ status: { phase: 'Running', startTime: iso(START + 5 * SECOND) } });
    expect(cluster.deployment('clomo', 'web')?.status).toMatchObject({ replicas: 2, readyReplicas: 2 });
  });

  it('marks a pod that fits nowhere Unschedulable with the scheduler message, and places it when a node joins', () => {
    const cluster = smallCluster(3);
    // A D4s_v5 keeps 3630m for pods after the AKS DaemonSets: one 3-cpu pod per user node.
    cluster.addDeployment({ name: 'big', namespace: 'clomo', replicas: 4, cpu: '3', memory: '1Gi' });
    const pending = livePods(cluster, 'clomo', 'big').filter((p) => p.spec.nodeName === undefined);
    expect(pending).toHaveLength(1);
    expect(pending[0]!.status.conditions?.find((c) => c.type === 'PodScheduled')).toMatchObject({
      status: 'False',
      reason: 'Unschedulable',
      message:
        '0/5 nodes are available: 1 node(s) had untolerated taint {CriticalAddonsOnly: true}, 1 node(s) had untolerated taint {clomo/BatchDeployable: true}, ' +
        '3 Insufficient cpu. preemption: 0/5 nodes are available: 5 Preemption is not helpful for scheduling.',
    });
    cluster.setAgentPoolCount('user', 4);
    cluster.advance(4 * MINUTE);
    expect(cluster.pod('clomo', pending[0]!.metadata.name)?.spec.nodeName).toBe('aks-user-27531488-vmss000003');
    cluster.advance(5 * SECOND);
    expect(cluster.pod('clomo', pending[0]!.metadata.name)?.status.phase).toBe('Running');
  });

  it('keeps new pods off a cordoned node and adds the unschedulable taint as the node controller does', () => {
    const cluster = smallCluster(2);
    cluster.patch(NODES, { name: 'aks-user-27531488-vmss000000' }, { spec: { unschedulable: true } }, 'merge');
    expect(cluster.node('aks-user-27531488-vmss000000')?.spec.taints).toBeUndefined();
    cluster.advance(0);
    expect(cluster.node('aks-user-27531488-vmss000000')?.spec.taints).toEqual([
      { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: iso(START) },
    ]);
    cluster.addDeployment({ name: 'web', namespace: 'clomo', replicas: 4 });
    expect(livePods(cluster, 'clomo', 'web').map((p) => p.spec.nodeName)).toEqual(Array(4).fill('aks-user-27531488-vmss000001'));
    cluster.patch(NODES, { name: 'aks-user-27531488-vmss000000' }, { spec: { unschedulable: null } }, 'merge');
    cluster.advance(0);
    expect(cluster.node('aks-user-27531488-vmss000000')?.spec.taints).toBeUndefined();
  });

  it('spreads a Deployment over the least loaded nodes', () => {
    const cluster = smallCluster(3);
    cluster.addDeployment({ name: 'web', namespace: 'clomo', replicas: 9, cpu: '250m', memory: '512Mi' });
    const perNode = new Map<string, number>();
    for (const pod of livePods(cluster, 'clomo', 'web')) perNode.set(pod.spec.nodeName!, (perNode.get(pod.spec.nodeName!) ?? 0) + 1);
    expect([...perNode.values()]).toEqual([3, 3, 3]);
  });

  it("places a Deployment's pods on the nodes its preferred node affinity names, and away from PreferNoSchedule taints", () => {
    const cluster = smallCluster(3);
    const [a, b, c] = ['aks-user-27531488-vmss000000', 'aks-user-27531488-vmss000001', 'aks-user-27531488-vmss000002'];
    cluster.patch(NODES, { name: b! }, { metadata: { labels: { 'graceful-scaler.io/stays': 'true' } } }, 'merge');
    cluster.patch(
      NODES,
      { name: c! },
      { spec: { taints: [{ key: 'graceful-scaler.io/drain-candidate', value: '1', effect: 'PreferNoSchedule' }] } },
      'merge',
    );
    cluster.addDeployment({
      name: 'bg',
      namespace: 'clomo',
      replicas: 4,
      affinity: {
        nodeAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 100, preference: { matchExpressions: [{ key: 'graceful-scaler.io/stays', operator: 'In', values: ['true'] }] } },
          ],
        },
      },
    });
    cluster.addDeployment({ name: 'web', namespace: 'clomo', replicas: 2 });
    expect(livePods(cluster, 'clomo', 'bg').map((p) => p.spec.nodeName)).toEqual(Array(4).fill(b));
    expect(livePods(cluster, 'clomo', 'web').map((p) => p.spec.nodeName)).toEqual([a, a]);
  });
});

describe('required pod anti-affinity', () => {
  const apart = (app: string) => ({
    podAntiAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app } } }],
    },
  });
  const userNodes = (pods: readonly DeepReadonly<Pod>[]) => pods.map((p) => p.spec.nodeName).filter((n) => n?.startsWith('aks-user'));

  it('puts one replica per node and leaves the rest Pending with the scheduler message', () => {
    const cluster = smallCluster(3);
    cluster.addDeployment({
      name: 'ha',
      namespace: 'clomo',
      replicas: 4,
      labels: { app: 'ha' },
      affinity: apart('ha'),
      nodeSelector: { 'kubernetes.azure.com/agentpool': 'user' },
    });
    const pods = livePods(cluster, 'clomo', 'ha');
    expect(new Set(userNodes(pods)).size).toBe(3);
    const waiting = pods.filter((p) => p.spec.nodeName === undefined);
    expect(waiting).toHaveLength(1);
    const condition = waiting[0]!.status.conditions?.find((c) => c.type === 'PodScheduled');
    expect(condition?.reason).toBe('Unschedulable');
    expect(condition?.message).toContain("3 node(s) didn't match pod anti-affinity rules");
  });

  it("keeps other pods off a node where a running pod's term selects them", () => {
    const cluster = smallCluster(3);
    cluster.addDeployment({
      name: 'guard',
      namespace: 'clomo',
      replicas: 1,
      labels: { app: 'guard' },
      affinity: apart('web'),
      nodeSelector: { 'kubernetes.azure.com/agentpool': 'user' },
    });
    const guarded = livePods(cluster, 'clomo', 'guard')[0]!.spec.nodeName;
    cluster.addDeployment({
      name: 'web',
      namespace: 'clomo',
      replicas: 6,
      labels: { app: 'web' },
      nodeSelector: { 'kubernetes.azure.com/agentpool': 'user' },
    });
    const webNodes = userNodes(livePods(cluster, 'clomo', 'web'));
    expect(webNodes).toHaveLength(6);
    expect(webNodes).not.toContain(guarded);
  });
});

describe('ReplicaSet controller', () => {
  it('replaces a deleted pod', () => {
    const { cluster, pod } = onePod();
    cluster.delete(PODS, { namespace: 'clomo', name: pod.metadata.name });
    cluster.advance(0);
    const pods = livePods(cluster, 'clomo', 'web');
    expect(pods).toHaveLength(1);
    expect(pods[0]!.metadata.name).not.toBe(pod.metadata.name);
  });

  it('on scale-down deletes the pods with the lowest pod-deletion-cost first (idle workers)', () => {
    const cluster = smallCluster(3);
    cluster.addDeployment({ name: 'bg', namespace: 'clomo', replicas: 4, grace: 72000 });
    const [busy1, idle1, busy2, idle2] = livePods(cluster, 'clomo', 'bg');
    for (const [pod, cost] of [
      [busy1, 1000],
      [idle1, 0],
      [busy2, 1000],
      [idle2, 0],
    ] as const) {
      cluster.patch(
        PODS,
        { namespace: 'clomo', name: pod!.metadata.name },
        { metadata: { annotations: { 'controller.kubernetes.io/pod-deletion-cost': String(cost) } } },
        'strategic',
      );
    }
    cluster.replaceScale({ namespace: 'clomo', name: 'bg' }, { spec: { replicas: 2 } });
    cluster.advance(0);
    const terminating = [...cluster.pods()].filter((p) => p.metadata.deletionTimestamp !== undefined).map((p) => p.metadata.name);
    expect(terminating.sort()).toEqual([idle1!.metadata.name, idle2!.metadata.name].sort());
    expect(cluster.deployment('clomo', 'bg')?.status).toMatchObject({ replicas: 2, readyReplicas: 2 });
  });

  it('deleting the Deployment removes its ReplicaSet and, gracefully, its pods', () => {
    const cluster = smallCluster(2);
    cluster.addDeployment({ name: 'web', namespace: 'clomo', replicas: 2 });
    cluster.delete(DEPLOYMENTS, { namespace: 'clomo', name: 'web' });
    expect(
      [...cluster.pods()].filter((p) => p.metadata.namespace === 'clomo').every((p) => p.metadata.deletionTimestamp !== undefined),
    ).toBe(true);
    cluster.advance(5 * SECOND);
    expect([...cluster.pods()].filter((p) => p.metadata.namespace === 'clomo')).toEqual([]);
  });
});
