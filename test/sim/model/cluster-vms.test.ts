// The Azure side in simulated time: deallocating a VM kills what runs on it and, a minute later,
// leaves its node NotReady with the taints AKS writes; starting it brings the node back; raising a
// pool's count adds new nodes after the VM boot time. What ARM would refuse is refused.

import { describe, expect, it } from 'vitest';
import { projectList } from '../../builders/aks';
import { ComputeRefusal } from '../../../sim/azure/agent-pools';
import { SimCluster } from '../../../sim/model/cluster';
import { NODES, PODS } from '../../../sim/model/resources';
import type { DeepReadonly, Node } from '../../../sim/model/objects';
import { HOUR, MINUTE, SECOND, START, livePods, smallCluster } from '../../builders/sim-cluster';

const USER_VMSS = 'aks-user-27531488-vmss';
const NODE0 = 'aks-user-27531488-vmss000000';

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

function ready(node: DeepReadonly<Node> | undefined): string | undefined {
  return node?.status.conditions?.find((c) => c.type === 'Ready')?.status;
}

function powerOf(cluster: SimCluster, instanceId: string): string | undefined {
  return cluster.scaleSetVms(USER_VMSS)?.find((vm) => vm.instanceId === instanceId)?.powerState;
}

/** Three user nodes, one `web` pod on each. */
function webCluster(): SimCluster {
  const cluster = smallCluster(3);
  cluster.addDeployment({ name: 'web', namespace: 'clomo', replicas: 3 });
  return cluster;
}

describe('deallocating a VM', () => {
  it('kills the pods on it at once and records them as interrupted', () => {
    const cluster = webCluster();
    const victim = cluster.podsOnNode(NODE0).find((p) => p.metadata.labels?.app === 'web')!;
    expect(cluster.deallocateVm(USER_VMSS, '0')).toBe(true);
    expect(powerOf(cluster, '0')).toBe('deallocating');
    expect(cluster.interruptions).toEqual([
      expect.objectContaining({
        at: START,
        name: victim.metadata.name,
        node: NODE0,
        cause: 'vm-deallocated',
        owner: { kind: 'ReplicaSet', name: victim.metadata.ownerReferences![0]!.name },
      }),
    ]);
  });

  it('leaves the node NotReady after a minute, with the unreachable and shutdown taints, DaemonSet pods bound but not ready', () => {
    const cluster = webCluster();
    cluster.deallocateVm(USER_VMSS, '0');
    cluster.advance(MINUTE - SECOND);
    expect(ready(cluster.node(NODE0))).toBe('True');
    cluster.advance(SECOND);
    const node = cluster.node(NODE0)!;
    expect(powerOf(cluster, '0')).toBe('deallocated');
    expect(node.status.conditions?.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['MemoryPressure', 'Unknown', 'NodeStatusUnknown'],
      ['DiskPressure', 'Unknown', 'NodeStatusUnknown'],
      ['PIDPressure', 'Unknown', 'NodeStatusUnknown'],
      ['Ready', 'Unknown', 'NodeStatusUnknown'],
    ]);
    const stoppedAt = iso(START + MINUTE);
    expect(node.spec.taints).toEqual([
      { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: stoppedAt },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: stoppedAt },
      { key: 'node.cloudprovider.kubernetes.io/shutdown', effect: 'NoSchedule' },
    ]);
    const daemons = cluster.podsOnNode(NODE0).filter((p) => p.metadata.namespace === 'kube-system');
    expect(daemons).toHaveLength(6);
    expect(daemons.every((p) => p.status.conditions?.find((c) => c.type === 'Ready')?.status === 'False')).toBe(true);
    expect(cluster.agentPools().find((p) => p.name === 'user')?.count).toBe(2);
    expect(projectList({ kind: 'NodeList', items: [node] }).nodes[0]).toMatchObject({ ready: false, power: 'deallocated' });
  });

  it('has the taint manager evict the dead pods after their 300 s toleration; the ReplicaSet replaces them elsewhere', () => {
    const cluster = webCluster();
    const victim = cluster.podsOnNode(NODE0).find((p) => p.metadata.labels?.app === 'web')!;
    cluster.deallocateVm(USER_VMSS, '0');
    cluster.advance(MINUTE + 300 * SECOND - SECOND);
    expect(cluster.pod('clomo', victim.metadata.name)?.metadata.deletionTimestamp).toBeUndefined();
    cluster.advance(SECOND + 5 * SECOND);
    const evicted = cluster.pod('clomo', victim.metadata.name)!;
    // Nobody on the dead node confirms the deletion: it stays Terminating.
    expect(evicted.metadata.deletionTimestamp).toBeDefined();
    expect(evicted.status.conditions?.find((c) => c.type === 'DisruptionTarget')?.reason).toBe('DeletionByTaintManager');
    const web = livePods(cluster, 'clomo', 'web');
    expect(web).toHaveLength(3);
    expect(web.every((p) => p.spec.nodeName !== NODE0 && p.status.phase === 'Running')).toBe(true);
  });

  it('interrupts nothing on a drained node (cordoned, only DaemonSet pods left)', () => {
    const cluster = smallCluster(3);
    cluster.patch(NODES, { name: NODE0 }, { spec: { unschedulable: true } }, 'merge');
    cluster.addDeployment({ name: 'web', namespace: 'clomo', replicas: 4 });
    cluster.deallocateVm(USER_VMSS, '0');
    cluster.advance(MINUTE);
    expect(cluster.interruptions).toEqual([]);
  });

  it('is a no-op on a VM already deallocated, and false for a VM that does not exist', () => {
    const cluster = smallCluster(2);
    cluster.deallocateVm(USER_VMSS, '1');
    cluster.advance(MINUTE);
    expect(cluster.deallocateVm(USER_VMSS, '1')).toBe(true);
    expect(powerOf(cluster, '1')).toBe('deallocated');
    expect(cluster.deallocateVm(USER_VMSS, '9')).toBe(false);
    expect(cluster.deallocateVm('aks-nope-27531488-vmss', '0')).toBe(false);
  });
});

describe('starting a deallocated VM', () => {
  it('brings the node back Ready after about 90 s, taints gone, the cordon kept, stale pods cleaned up', () => {
    const cluster = webCluster();
    const victim = cluster.podsOnNode(NODE0).find((p) => p.metadata.labels?.app === 'web')!;
    cluster.patch(NODES, { name: NODE0 }, { spec: { unschedulable: true } }, 'merge');
    cluster.deallocateVm(USER_VMSS, '0');
    cluster.advance(10 * MINUTE);
    expect(cluster.startVm(USER_VMSS, '0')).toBe(true);
    expect(powerOf(cluster, '0')).toBe('starting');
    cluster.advance(89 * SECOND);
    expect(ready(cluster.node(NODE0))).toBe('Unknown');
    cluster.advance(SECOND);
    const node = cluster.node(NODE0)!;
    expect(powerOf(cluster, '0')).toBe('running');
    expect(ready(node)).toBe('True');
    expect(node.spec.unschedulable).toBe(true);
    expect(node.spec.taints).toEqual([{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: iso(START) }]);
    expect(cluster.pod('clomo', victim.metadata.name)).toBeUndefined();
    const daemons = cluster.podsOnNode(NODE0);
    expect(daemons.map((p) => p.metadata.namespace)).toEqual(Array(6).fill('kube-system'));
    expect(daemons.every((p) => p.status.conditions?.find((c) => c.type === 'Ready')?.status === 'True')).toBe(true);
  });

  it('starts a pod that was bound but not yet running when the VM stopped, and it behaves like any other after', () => {
    const cluster = smallCluster(1);
    cluster.addDeployment({ name: 'bg', namespace: 'clomo', replicas: 1, grace: 72000 });
    cluster.replaceScale({ namespace: 'clomo', name: 'bg' }, { spec: { replicas: 2 } });
    cluster.advance(0);
    const late = livePods(cluster, 'clomo', 'bg').find((p) => p.status.phase === 'Pending')!;
    expect(late.spec.nodeName).toBe(NODE0);
    cluster.deallocateVm(USER_VMSS, '0');
    cluster.advance(2 * MINUTE);
    cluster.startVm(USER_VMSS, '0');
    cluster.advance(90 * SECOND + 5 * SECOND);
    expect(cluster.pod('clomo', late.metadata.name)?.status.phase).toBe('Running');
    // A worker with a job in hand finishes it on SIGTERM: the kubelet must not think it still dead.
    const ref = { namespace: 'clomo', name: late.metadata.name };
    cluster.setPodWork(ref, { endsAt: cluster.now() + HOUR, onSigterm: 'finish-work' });
    cluster.delete(PODS, ref);
    cluster.advance(30 * MINUTE);
    expect(cluster.pod('clomo', late.metadata.name)?.metadata.deletionTimestamp).toBeDefined();
    cluster.advance(30 * MINUTE);
    expect(cluster.pod('clomo', late.metadata.name)).toBeUndefined();
  });

  it('takes the configured start time', () => {
    const cluster = smallCluster(2, { durations: { vmStartMs: 30 * SECOND, vmDeallocateMs: 10 * SECOND } });
    cluster.deallocateVm(USER_VMSS, '1');
    cluster.advance(10 * SECOND);
    expect(powerOf(cluster, '1')).toBe('deallocated');
    cluster.startVm(USER_VMSS, '1');
    cluster.advance(30 * SECOND);
    expect(ready(cluster.node('aks-user-27531488-vmss000001'))).toBe('True');
  });

  it('succeeds without effect on a running VM', () => {
    const cluster = smallCluster(2);
    const before = cluster.node(NODE0)!.metadata.resourceVersion;
    expect(cluster.startVm(USER_VMSS, '0')).toBe(true);
    cluster.advance(2 * MINUTE);
    expect(cluster.node(NODE0)!.metadata.resourceVersion).toBe(before);
  });
});

describe('agent pool count', () => {
  it('raised: new VMs boot for about 4 minutes, then join as Ready nodes named after their instance id', () => {
    const cluster = smallCluster(3);
    cluster.setAgentPoolCount('user', 5);
    expect(cluster.agentPools().find((p) => p.name === 'user')).toMatchObject({ count: 5, provisioningState: 'Scaling' });
    expect(cluster.scaleSetVms(USER_VMSS)?.map((vm) => vm.powerState)).toEqual(['running', 'running', 'running', 'starting', 'starting']);
    cluster.advance(4 * MINUTE - SECOND);
    expect(cluster.node('aks-user-27531488-vmss000003')).toBeUndefined();
    cluster.advance(SECOND);
    const node = cluster.node('aks-user-27531488-vmss000003')!;
    expect(ready(node)).toBe('True');
    expect(node.metadata.creationTimestamp).toBe(iso(START + 4 * MINUTE));
    expect(node.metadata.labels?.['kubernetes.azure.com/agentpool']).toBe('user');
    expect(node.spec.providerID).toMatch(/\/virtualMachineScaleSets\/aks-user-27531488-vmss\/virtualMachines\/3$/);
    expect(cluster.node('aks-user-27531488-vmss000004')).toBeDefined();
    expect(cluster.agentPools().find((p) => p.name === 'user')?.provisioningState).toBe('Succeeded');
    cluster.advance(5 * SECOND);
    expect(cluster.podsOnNode(node.metadata.name).filter((p) => p.status.phase === 'Running')).toHaveLength(6);
  });

  it('writes the instance id in base 36 in the node name (instance 36 is vmss000010)', () => {
    const cluster = SimCluster.aks({ pools: [{ name: 'user', count: 36 }], daemonSets: [] });
    cluster.setAgentPoolCount('user', 37);
    cluster.advance(4 * MINUTE);
    expect(cluster.node('aks-user-27531488-vmss000010')?.spec.providerID).toMatch(/virtualMachines\/36$/);
  });

  it('raised in Deallocate mode: deallocated VMs are started first', () => {
    const cluster = smallCluster(3);
    cluster.deallocateVm(USER_VMSS, '1');
    cluster.advance(MINUTE);
    cluster.setAgentPoolCount('user', 3);
    expect(cluster.scaleSetVms(USER_VMSS)?.map((vm) => `${vm.instanceId}:${vm.powerState}`)).toEqual([
      '0:running',
      '1:starting',
      '2:running',
    ]);
    cluster.advance(90 * SECOND);
    expect(ready(cluster.node('aks-user-27531488-vmss000001'))).toBe('True');
  });

  it('lowered in Delete mode: the newest VMs are deleted with their nodes and pods', () => {
    const cluster = SimCluster.aks({
      pools: [
        { name: 'system', mode: 'System', count: 1 },
        { name: 'web', count: 3 },
      ],
    });
    cluster.addDeployment({ name: 'web', namespace: 'clomo', replicas: 4, nodeSelector: { 'kubernetes.azure.com/agentpool': 'web' } });
    cluster.setAgentPoolCount('web', 1);
    expect(cluster.interruptions.map((i) => i.cause)).toEqual(expect.arrayContaining(['vm-deleted']));
    cluster.advance(MINUTE);
    expect(cluster.scaleSetVms('aks-web-27531488-vmss')?.map((vm) => vm.instanceId)).toEqual(['0']);
    expect(
      cluster
        .nodes()
        .map((n) => n.metadata.name)
        .filter((n) => n.startsWith('aks-web')),
    ).toEqual(['aks-web-27531488-vmss000000']);
    expect([...cluster.pods()].filter((p) => p.spec.nodeName !== undefined && cluster.node(p.spec.nodeName) === undefined)).toEqual([]);
  });

  const refusals: { name: string; run: (c: SimCluster) => void; code: string }[] = [
    { name: 'a system pool to zero', run: (c) => c.setAgentPoolCount('system', 0), code: 'InvalidParameter' },
    { name: 'a negative count', run: (c) => c.setAgentPoolCount('user', -1), code: 'InvalidParameter' },
    { name: 'an unknown pool', run: (c) => c.setAgentPoolCount('nope', 2), code: 'NotFound' },
    { name: 'a pool under the cluster autoscaler', run: (c) => c.setAgentPoolCount('auto', 2), code: 'OperationNotAllowed' },
  ];
  it.each(refusals)('refuses $name ($code)', ({ run, code }) => {
    const cluster = smallCluster(1);
    cluster.addPool({ name: 'auto', count: 1, enableAutoScaling: true });
    let error: unknown;
    try {
      run(cluster);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ComputeRefusal);
    expect((error as ComputeRefusal).code).toBe(code);
  });
});

describe('deleting a node object', () => {
  it('garbage-collects its pods and records running workload pods as interrupted', () => {
    const cluster = webCluster();
    cluster.delete(NODES, { name: NODE0 });
    expect(cluster.podsOnNode(NODE0)).toEqual([]);
    expect(cluster.interruptions.map((i) => i.cause)).toEqual(['node-deleted']);
    expect(() => cluster.get(NODES, { name: NODE0 })).toThrow('nodes "aks-user-27531488-vmss000000" not found');
    expect(cluster.list(PODS, { fieldSelector: `spec.nodeName=${NODE0}` }).items).toEqual([]);
  });
});
