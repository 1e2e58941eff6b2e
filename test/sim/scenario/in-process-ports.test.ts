import { describe, expect, it } from 'vitest';
import { DRAIN_CANDIDATE_TAINT, DRAINING_SINCE, DRAIN_REASON, STAYS_LABEL } from '../../../core/annotations';
import { QueueNotFoundError, VmRefusal } from '../../../runner/ports';
import { SimCluster } from '../../../sim/model/cluster';
import {
  InMemoryLease,
  InMemoryStore,
  SimClusterReader,
  SimJobQueue,
  SimKubernetesActions,
  SimNodeVms,
  SimQueueDepths,
} from '../../../sim/scenario/in-process-ports';
import { emptyMemory } from '../../../core/memory';

function cluster(): SimCluster {
  const c = SimCluster.aks({
    seed: 3,
    pools: [
      { name: 'system', mode: 'System', count: 1, taints: ['CriticalAddonsOnly=true:NoSchedule'] },
      { name: 'user', count: 2, scaleDownMode: 'Deallocate' },
      { name: 'keep', count: 1 },
    ],
  });
  c.addDeployment({ name: 'mdm', namespace: 'clomo', replicas: 2 });
  c.addPdb({ name: 'mdm', namespace: 'clomo', minAvailable: 2 });
  return c;
}

describe('in-process ports on a SimCluster', () => {
  it('reads the cluster as projected views, reusing unchanged ones', async () => {
    const c = cluster();
    const reader = new SimClusterReader(c);
    const first = await reader.readCluster();
    expect(first.nodes.map((n) => n.pool).sort()).toEqual(['keep', 'system', 'user', 'user']);
    expect(first.nodes.every((n) => n.vm !== undefined && n.power === 'running')).toBe(true);
    expect(first.pods.filter((p) => p.controller?.kind === 'ReplicaSet')).toHaveLength(2);
    expect(first.pdbs).toEqual([expect.objectContaining({ name: 'mdm', disruptionsAllowed: 0 })]);
    expect(first.workloads).toEqual([expect.objectContaining({ name: 'mdm', replicas: 2 })]);
    const second = await reader.readCluster();
    expect(second.pods[0]).toBe(first.pods[0]);
  });

  it('reads the names of the controllers that recreate pods, so every pod of the model has its owner', async () => {
    const { pods, controllers } = await new SimClusterReader(cluster()).readCluster();
    expect(controllers.kinds).toEqual(new Set(['ReplicaSet', 'StatefulSet', 'Job', 'DaemonSet', 'ReplicationController']));
    for (const pod of pods)
      if (pod.controller && !pod.mirror)
        expect(controllers.names).toContain(`${pod.controller.kind}/${pod.namespace}/${pod.controller.name}`);
  });

  it('cordons with the drain annotations, uncordons without them, maps a PDB refusal, scales', async () => {
    const c = cluster();
    const actions = new SimKubernetesActions(c);
    const node = c.nodes().find((n) => n.metadata.labels?.['kubernetes.azure.com/agentpool'] === 'user')!.metadata.name;
    await actions.cordon(node, { since: '2026-11-01T00:00:00.000Z', reason: 'underused' });
    expect(c.node(node)!.spec.unschedulable).toBe(true);
    expect(c.node(node)!.metadata.annotations).toMatchObject({ [DRAINING_SINCE]: '2026-11-01T00:00:00.000Z', [DRAIN_REASON]: 'underused' });
    await actions.uncordon(node);
    expect(c.node(node)!.spec.unschedulable).toBeUndefined();
    expect(c.node(node)!.metadata.annotations?.[DRAINING_SINCE]).toBeUndefined();
    const pod = [...c.pods()].find((p) => p.metadata.labels?.app === 'mdm')!;
    expect(await actions.evict('clomo', pod.metadata.name)).toBe('refused-by-pdb');
    expect(await actions.evict('clomo', 'no-such-pod')).toBe('gone');
    await actions.scale('clomo', 'mdm', 3);
    expect(c.deployment('clomo', 'mdm')!.spec.replicas).toBe(3);
    await actions.setDeletionCost('clomo', pod.metadata.name, -5);
    expect(c.pod('clomo', pod.metadata.name)!.metadata.annotations?.['controller.kubernetes.io/pod-deletion-cost']).toBe('-5');
  });

  it('marks a node as the Kubernetes adapter does: our taint beside the others, the stays label, nothing written twice', async () => {
    const c = cluster();
    const actions = new SimKubernetesActions(c);
    const system = c.nodes().find((n) => n.metadata.labels?.['kubernetes.azure.com/agentpool'] === 'system')!.metadata.name;
    const at = Date.parse('2026-11-30T13:15:00Z');
    expect(await actions.markNode(system, 'drain-candidate', true, at)).toBe('marked');
    expect(c.node(system)!.spec.taints).toEqual([
      { key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' },
      { key: DRAIN_CANDIDATE_TAINT, value: String(at / 1000), effect: 'PreferNoSchedule' },
    ]);
    const version = c.node(system)!.metadata.resourceVersion;
    expect(await actions.markNode(system, 'drain-candidate', true, at)).toBe('unchanged');
    expect(c.node(system)!.metadata.resourceVersion).toBe(version);
    expect(await actions.markNode(system, 'drain-candidate', false, at)).toBe('marked');
    expect(c.node(system)!.spec.taints).toEqual([{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' }]);
    expect(await actions.markNode(system, 'stays', true, at)).toBe('marked');
    expect(c.node(system)!.metadata.labels?.[STAYS_LABEL]).toBe('true');
    expect(await actions.markNode('no-such-node', 'stays', true, at)).toBe('gone');
  });

  it('deallocates and starts VMs, refusing a pool not in Deallocate mode, and adds nodes', async () => {
    const c = cluster();
    const reader = new SimClusterReader(c);
    const vms = new SimNodeVms(c);
    const nodes = (await reader.readCluster()).nodes;
    const user = nodes.find((n) => n.pool === 'user')!;
    await vms.deallocate(user);
    c.advance(120_000);
    expect((await reader.readCluster()).nodes.find((n) => n.name === user.name)!.power).toBe('deallocated');
    await vms.start(user);
    c.advance(120_000);
    expect((await reader.readCluster()).nodes.find((n) => n.name === user.name)!.ready).toBe(true);
    const keep = nodes.find((n) => n.pool === 'keep')!;
    await expect(vms.deallocate(keep)).rejects.toThrow(VmRefusal);
    await expect(vms.deallocate(keep)).rejects.toMatchObject({ code: 'pool-not-deallocate-mode' });
    await vms.addNodes('user', 1);
    c.advance(300_000);
    expect((await reader.readCluster()).nodes.filter((n) => n.pool === 'user')).toHaveLength(3);
  });

  it("reports the agent pools' states, an AKS operation a test stages included, and grows no busy pool", async () => {
    const c = cluster();
    const vms = new SimNodeVms(c);
    expect((await vms.poolStates()).map((p) => `${p.name} ${p.provisioningState}`)).toEqual(
      c.agentPools().map((p) => `${p.name} Succeeded`),
    );
    c.setAgentPoolOperation('user', 'Upgrading');
    expect((await vms.poolStates()).find((p) => p.name === 'user')?.provisioningState).toBe('Upgrading');
    await expect(vms.addNodes('user', 1)).rejects.toMatchObject({
      code: 'failed',
      message: expect.stringContaining("agent pool 'user' is Upgrading"),
    });
    c.setAgentPoolOperation('user', undefined);
    expect((await vms.poolStates()).find((p) => p.name === 'user')?.provisioningState).toBe('Succeeded');
  });

  it('keeps memory with versions, a lease with one holder', async () => {
    const store = new InMemoryStore();
    const { memory, version } = await store.load();
    expect(version).toBeUndefined();
    expect(await store.save(memory, version)).toBe(true);
    expect(await store.save(emptyMemory(), undefined)).toBe(false);
    const after = await store.load();
    expect(after.version).toBe('1');
    let now = 0;
    const lease = new InMemoryLease(() => now);
    expect(await lease.acquire('l', 'a', 60)).toBe(true);
    expect(await lease.acquire('l', 'b', 60)).toBe(false);
    now = 61_000;
    expect(await lease.acquire('l', 'b', 60)).toBe(true);
    await lease.release('l', 'b');
    expect(await lease.acquire('l', 'a', 60)).toBe(true);
  });

  it('counts visible and in-flight jobs and the oldest visible one’s age', async () => {
    const q = new SimJobQueue('clomo-jobs');
    q.enqueue(1_000, 5);
    q.enqueue(2_000, 5);
    expect(q.view(11_000)).toEqual({ name: 'clomo-jobs', messages: 2, oldestAgeSeconds: 10 });
    const job = q.dequeue()!;
    expect(q.view(11_000)).toEqual({ name: 'clomo-jobs', messages: 2, oldestAgeSeconds: 9 });
    q.giveBack(job.id);
    expect(q.dequeue()!.id).toBe(job.id);
    q.complete(job.id);
    q.dequeue();
    expect(q.view(11_000)).toEqual({ name: 'clomo-jobs', messages: 1, oldestAgeSeconds: undefined });
    const depths = new SimQueueDepths(new Map([['clomo-jobs', q]]), () => 11_000);
    expect(await depths.read(['clomo-jobs'])).toHaveLength(1);
    await expect(depths.read(['clomo-jobs', 'missing'])).rejects.toThrow(QueueNotFoundError);
  });
});
