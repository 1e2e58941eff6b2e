// SimCluster.aks builds a cluster that looks like AKS: node names, labels, providerIDs, capacity and
// DaemonSet pods as in test/fixtures/aks-object-shapes.json, agent pools and scale-set VMs behind
// them, deterministic for a seed, and readable by the project's own projection.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectList } from '../../builders/aks';
import { SimCluster } from '../../../sim/model/cluster';
import { DAEMON_SETS, DEPLOYMENTS, NODES, PDBS, PODS } from '../../../sim/model/resources';
import type { Node } from '../../../sim/model/objects';
import { smallCluster } from '../../builders/sim-cluster';

interface FixtureItem {
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec: Record<string, unknown>;
  status: Record<string, unknown>;
}
const FIXTURE = JSON.parse(readFileSync(join(__dirname, '../../fixtures/aks-object-shapes.json'), 'utf8')) as { items: FixtureItem[] };
const FIXTURE_NODE = FIXTURE.items.find((i) => i.kind === 'Node' && i.metadata.name === 'aks-user-27531488-vmss000000')!;

describe('SimCluster.aks', () => {
  const cluster = smallCluster(3);

  it('names nodes as AKS does: aks-<pool>-<hash>-vmss<instance in base 36, 6 characters>', () => {
    expect(
      cluster
        .nodes()
        .map((n) => n.metadata.name)
        .sort(),
    ).toEqual([
      'aks-batch-27531488-vmss000000',
      'aks-system-27531488-vmss000000',
      'aks-user-27531488-vmss000000',
      'aks-user-27531488-vmss000001',
      'aks-user-27531488-vmss000002',
    ]);
  });

  it('writes the node as AKS writes it (labels, providerID, capacity, conditions: the fixture node)', () => {
    const node = cluster.node('aks-user-27531488-vmss000000')!;
    expect(node.metadata.labels).toEqual(FIXTURE_NODE.metadata.labels);
    expect(node.spec.providerID).toBe(FIXTURE_NODE.spec.providerID);
    expect(node.status.capacity).toEqual((FIXTURE_NODE.status as { capacity: unknown }).capacity);
    expect(node.status.allocatable).toEqual((FIXTURE_NODE.status as { allocatable: unknown }).allocatable);
    expect(node.status.conditions?.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['MemoryPressure', 'False', 'KubeletHasSufficientMemory'],
      ['DiskPressure', 'False', 'KubeletHasNoDiskPressure'],
      ['PIDPressure', 'False', 'KubeletHasSufficientPID'],
      ['Ready', 'True', 'KubeletReady'],
    ]);
  });

  it('gives pools their labels, taints and mode', () => {
    const batch = cluster.node('aks-batch-27531488-vmss000000')!;
    expect(batch.metadata.labels?.['clomo/BatchDeployable']).toBe('true');
    expect(batch.spec.taints).toEqual([{ key: 'clomo/BatchDeployable', value: 'true', effect: 'NoSchedule' }]);
    expect(cluster.node('aks-system-27531488-vmss000000')!.metadata.labels?.['kubernetes.azure.com/mode']).toBe('system');
  });

  it('runs the AKS DaemonSets on every node, Running and Ready, owned by stored DaemonSets', () => {
    for (const node of cluster.nodes()) {
      const pods = cluster.podsOnNode(node.metadata.name);
      expect(pods.map((p) => p.metadata.ownerReferences?.[0]?.name).sort()).toEqual([
        'azure-cns',
        'azure-ip-masq-agent',
        'cloud-node-manager',
        'csi-azuredisk-node',
        'csi-azurefile-node',
        'kube-proxy',
      ]);
      expect(pods.every((p) => p.status.phase === 'Running' && p.metadata.namespace === 'kube-system')).toBe(true);
    }
    expect(cluster.get(DAEMON_SETS, { namespace: 'kube-system', name: 'kube-proxy' }).status).toMatchObject({
      desiredNumberScheduled: 5,
      numberReady: 5,
    });
  });

  it('has agent pools backed by scale sets of running VMs', () => {
    expect(cluster.agentPools().map((p) => [p.name, p.count, p.mode, p.scaleDownMode, p.scaleSet, p.provisioningState])).toEqual([
      ['system', 1, 'System', 'Delete', 'aks-system-27531488-vmss', 'Succeeded'],
      ['user', 3, 'User', 'Deallocate', 'aks-user-27531488-vmss', 'Succeeded'],
      ['batch', 1, 'User', 'Delete', 'aks-batch-27531488-vmss', 'Succeeded'],
    ]);
    expect(cluster.scaleSetVms('aks-user-27531488-vmss')).toEqual([
      { instanceId: '0', computerName: 'aks-user-27531488-vmss000000', powerState: 'running' },
      { instanceId: '1', computerName: 'aks-user-27531488-vmss000001', powerState: 'running' },
      { instanceId: '2', computerName: 'aks-user-27531488-vmss000002', powerState: 'running' },
    ]);
    expect(cluster.scaleSetVms('aks-nope-27531488-vmss')).toBeUndefined();
    expect(cluster.nodeResourceGroup).toBe('MC_clomo-rg_clomo-prod_japaneast');
  });

  it('is deterministic for a seed and differs for another', () => {
    const pods = (c: SimCluster): string[] => {
      c.addDeployment({ name: 'mdm', namespace: 'clomo', replicas: 4 });
      return [...c.pods()].map((p) => `${p.metadata.name}@${p.spec.nodeName}#${p.metadata.uid}`).sort();
    };
    expect(pods(smallCluster(3))).toEqual(pods(smallCluster(3)));
    expect(pods(smallCluster(3, { seed: 8 }))).not.toEqual(pods(smallCluster(3)));
  });
});

describe('workload builders', () => {
  it('addDeployment settles: ReplicaSet, pods named <deploy>-<hash>-<5 chars>, Running, status counted', () => {
    const cluster = smallCluster(3);
    const deployment = cluster.addDeployment({
      name: 'mdm',
      namespace: 'clomo',
      replicas: 6,
      cpu: '250m',
      memory: '512Mi',
      labels: { 'clomo/descheduling': 'enabled' },
    });
    expect(deployment.status).toMatchObject({
      replicas: 6,
      readyReplicas: 6,
      availableReplicas: 6,
      updatedReplicas: 6,
      observedGeneration: 1,
    });
    const pods = [...cluster.pods()].filter((p) => p.metadata.namespace === 'clomo');
    expect(pods).toHaveLength(6);
    for (const pod of pods) {
      expect(pod.metadata.name).toMatch(/^mdm-[bcdfghjklmnpqrstvwxz2456789]{6,10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(pod.metadata.labels).toMatchObject({ app: 'mdm', 'clomo/descheduling': 'enabled' });
      expect(pod.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'ReplicaSet', controller: true });
      expect(pod.status.phase).toBe('Running');
      // Neither the tainted system pool nor the batch pool takes them.
      expect(pod.spec.nodeName).toMatch(/^aks-user-/);
    }
  });

  it('addJobPod runs a Job pod on the protected pool by nodeSelector and toleration', () => {
    const cluster = smallCluster(3);
    const pod = cluster.addJobPod({
      job: 'clomo-daily-batch-29012345',
      namespace: 'clomo',
      cpu: '2',
      memory: '6Gi',
      nodeSelector: { 'clomo/BatchDeployable': 'true' },
      tolerations: [{ key: 'clomo/BatchDeployable', operator: 'Exists', effect: 'NoSchedule' }],
    });
    expect(pod.spec.nodeName).toBe('aks-batch-27531488-vmss000000');
    expect(pod.metadata.ownerReferences?.[0]).toMatchObject({ apiVersion: 'batch/v1', kind: 'Job', name: 'clomo-daily-batch-29012345' });
    expect(pod.metadata.labels).toMatchObject({ 'job-name': 'clomo-daily-batch-29012345' });
  });

  it('addPdb returns the budget with its status computed', () => {
    const cluster = smallCluster(3);
    cluster.addDeployment({ name: 'mdm', namespace: 'clomo', replicas: 12 });
    expect(cluster.addPdb({ name: 'mdm', namespace: 'clomo', minAvailable: '80%' }).status).toMatchObject({
      expectedPods: 12,
      desiredHealthy: 10,
      disruptionsAllowed: 2,
    });
  });
});

describe('read by the project projection (adapters/kubernetes/projection.ts)', () => {
  it('projects nodes, pods, PDBs and Deployments of the model without a problem', () => {
    const cluster = smallCluster(3);
    cluster.addDeployment({ name: 'bg', namespace: 'clomo', replicas: 3, grace: 72000 });
    cluster.addPdb({ name: 'bg', namespace: 'clomo', maxUnavailable: 1 });
    const snapshot = projectList({
      apiVersion: 'v1',
      kind: 'List',
      items: [NODES, PODS, PDBS, DEPLOYMENTS].flatMap((r) => cluster.list(r).items),
    });
    const node = snapshot.nodes.find((n) => n.name === 'aks-user-27531488-vmss000002')!;
    expect(node).toMatchObject({ pool: 'user', ready: true, cordoned: false, power: 'running', allocatable: { pods: 30 } });
    expect(node.vm).toEqual({
      subscription: '3f2a1c9e-8b7d-4e21-9c55-0d6b1a2e4f70',
      resourceGroup: 'mc_clomo-rg_clomo-prod_japaneast',
      scaleSet: 'aks-user-27531488-vmss',
      instanceId: '2',
    });
    expect(snapshot.pods.filter((p) => p.daemonSet)).toHaveLength(6 * 5);
    expect(snapshot.pods.filter((p) => p.controller?.kind === 'ReplicaSet').map((p) => p.graceSeconds)).toEqual([72000, 72000, 72000]);
    expect(snapshot.workloads).toEqual([expect.objectContaining({ namespace: 'clomo', name: 'bg', replicas: 3, readyReplicas: 3 })]);
    expect(snapshot.pdbs).toEqual([expect.objectContaining({ name: 'bg', disruptionsAllowed: 1 })]);
  });

  it('imports builder objects as they are, keeping their status', () => {
    const cluster = new SimCluster();
    const node = JSON.parse(JSON.stringify(FIXTURE_NODE)) as Node;
    cluster.import(node);
    cluster.advance(0);
    expect(cluster.node(node.metadata.name)?.status.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    // The DaemonSet controller puts its pods on an imported node too.
    expect(cluster.podsOnNode(node.metadata.name)).toHaveLength(6);
  });
});
