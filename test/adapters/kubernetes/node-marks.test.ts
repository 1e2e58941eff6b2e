// The placement marks through the REAL client-node against the simulated API server: the
// drain-candidate taint, the stays label and the stays taint put on and taken off, other writers' taints and labels
// kept, a mark already there not written again, and a concurrent write between our read and our
// patch answered with 409 (the patch is conditional), never overwritten.

import { afterEach, describe, expect, it } from 'vitest';
import * as k8s from '@kubernetes/client-node';
import { DRAIN_CANDIDATE_TAINT, STAYS_LABEL, STAYS_TAINT } from '../../../core/annotations';
import { makeClients, type Clients } from '../../../adapters/kubernetes/clients';
import { KubernetesActionsAdapter } from '../../../adapters/kubernetes/kube-actions';
import { SimCluster } from '../../../sim/model/cluster';
import { NODES } from '../../../sim/model/resources';
import { startKubeApiServer, type KubeApiServer } from '../../../sim/servers/kube-api-server';

const AT = Date.parse('2026-11-30T13:15:00Z');
const SPOT = { key: 'example.com/spot', value: 'true', effect: 'NoSchedule' as const };

let kube: KubeApiServer | undefined;
afterEach(async () => {
  await kube?.close();
  kube = undefined;
});

async function world() {
  const cluster = SimCluster.aks({ start: '2026-11-30T13:00:00Z', pools: [{ name: 'user', count: 1, scaleDownMode: 'Deallocate' }] });
  kube = await startKubeApiServer(cluster);
  const kc = new k8s.KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'sim', server: kube.url, skipTLSVerify: true }],
    users: [{ name: 'u', token: 'test-token' }],
    contexts: [{ name: 'sim', cluster: 'sim', user: 'u' }],
    currentContext: 'sim',
  });
  const clients = makeClients(kc, { timeoutMs: 2_000, retry: { baseDelayMs: 5, maxDelayMs: 20 } });
  const node = cluster.nodes()[0]!.metadata.name;
  // Another writer's taint, there before us.
  cluster.patch(NODES, { name: node }, { spec: { taints: [SPOT] } }, 'merge');
  return { cluster, clients, node, actions: new KubernetesActionsAdapter(clients), requests: () => kube!.requests };
}

const taintsOf = (cluster: SimCluster, node: string) =>
  (cluster.node(node)?.spec.taints ?? []).map((t) => `${t.key}=${t.value ?? ''}:${t.effect}`);

describe('placement marks on a node', () => {
  it('adds the drain-candidate taint beside the taints already there, its value the Unix seconds, with a conditional merge patch', async () => {
    const w = await world();
    expect(await w.actions.markNode(w.node, 'drain-candidate', true, AT)).toBe('marked');
    expect(taintsOf(w.cluster, w.node)).toEqual([
      'example.com/spot=true:NoSchedule',
      `${DRAIN_CANDIDATE_TAINT}=${AT / 1000}:PreferNoSchedule`,
    ]);
    const [list, patch] = w.requests().slice(-2);
    expect(list).toMatchObject({ method: 'GET', path: '/api/v1/nodes', query: { fieldSelector: `metadata.name=${w.node}` } });
    expect(patch).toMatchObject({
      method: 'PATCH',
      path: `/api/v1/nodes/${w.node}`,
      contentType: 'application/merge-patch+json',
      status: 200,
    });
    const body = JSON.parse(patch!.body) as { metadata: { resourceVersion?: string } };
    expect(body.metadata.resourceVersion).toMatch(/^\d+$/);
  });

  it('writes nothing for a mark already as asked', async () => {
    const w = await world();
    await w.actions.markNode(w.node, 'drain-candidate', true, AT);
    const before = w.requests().length;
    expect(await w.actions.markNode(w.node, 'drain-candidate', true, AT + 60_000)).toBe('unchanged');
    expect(await w.actions.markNode(w.node, 'stays', false, AT)).toBe('unchanged');
    expect(
      w
        .requests()
        .slice(before)
        .map((r) => r.method),
    ).toEqual(['GET', 'GET']);
    expect(taintsOf(w.cluster, w.node)).toContain(`${DRAIN_CANDIDATE_TAINT}=${AT / 1000}:PreferNoSchedule`);
  });

  it('takes off only our taint: another writer’s, and one with our key but another effect, stay', async () => {
    const w = await world();
    const foreign = { key: DRAIN_CANDIDATE_TAINT, effect: 'NoSchedule' as const };
    w.cluster.patch(
      NODES,
      { name: w.node },
      { spec: { taints: [SPOT, foreign, { key: DRAIN_CANDIDATE_TAINT, value: '1', effect: 'PreferNoSchedule' }] } },
      'merge',
    );
    expect(await w.actions.markNode(w.node, 'drain-candidate', false, AT)).toBe('marked');
    expect(taintsOf(w.cluster, w.node)).toEqual(['example.com/spot=true:NoSchedule', `${DRAIN_CANDIDATE_TAINT}=:NoSchedule`]);
  });

  it('puts the stays label on and takes it off, leaving every other label', async () => {
    const w = await world();
    const labels = () => w.cluster.node(w.node)!.metadata.labels ?? {};
    const before = Object.keys(labels()).length;
    expect(await w.actions.markNode(w.node, 'stays', true, AT)).toBe('marked');
    expect(labels()[STAYS_LABEL]).toBe('true');
    expect(await w.actions.markNode(w.node, 'stays', false, AT)).toBe('marked');
    expect(labels()[STAYS_LABEL]).toBeUndefined();
    expect(Object.keys(labels())).toHaveLength(before);
  });

  it('puts the stays taint (value "true") beside the drain-candidate one and the label, and takes off only itself', async () => {
    const w = await world();
    expect(await w.actions.markNode(w.node, 'stays', true, AT)).toBe('marked');
    expect(await w.actions.markNode(w.node, 'stays-taint', true, AT)).toBe('marked');
    expect(await w.actions.markNode(w.node, 'stays-taint', true, AT + 60_000)).toBe('unchanged');
    expect(taintsOf(w.cluster, w.node)).toEqual(['example.com/spot=true:NoSchedule', `${STAYS_TAINT}=true:PreferNoSchedule`]);
    await w.actions.markNode(w.node, 'drain-candidate', true, AT);
    expect(await w.actions.markNode(w.node, 'stays-taint', false, AT)).toBe('marked');
    expect(taintsOf(w.cluster, w.node)).toEqual([
      'example.com/spot=true:NoSchedule',
      `${DRAIN_CANDIDATE_TAINT}=${AT / 1000}:PreferNoSchedule`,
    ]);
    // The label is a mark of its own: taking the taint off leaves it.
    expect(w.cluster.node(w.node)!.metadata.labels?.[STAYS_LABEL]).toBe('true');
  });

  it('answers a write between its read and its patch with conflict, keeping the other write, and marks on the next try', async () => {
    const w = await world();
    const core: Clients['core'] = w.clients.core;
    const list = core.listNode.bind(core);
    let interfere = true;
    core.listNode = async (...args: Parameters<typeof list>) => {
      const read = await list(...args);
      if (interfere)
        w.cluster.patch(NODES, { name: w.node }, { spec: { taints: [SPOT, { key: 'example.com/gpu', effect: 'NoSchedule' }] } }, 'merge');
      interfere = false;
      return read;
    };
    expect(await w.actions.markNode(w.node, 'drain-candidate', true, AT)).toBe('conflict');
    expect(taintsOf(w.cluster, w.node)).toEqual(['example.com/spot=true:NoSchedule', 'example.com/gpu=:NoSchedule']);
    expect(await w.actions.markNode(w.node, 'drain-candidate', true, AT)).toBe('marked');
    expect(taintsOf(w.cluster, w.node)).toEqual([
      'example.com/spot=true:NoSchedule',
      'example.com/gpu=:NoSchedule',
      `${DRAIN_CANDIDATE_TAINT}=${AT / 1000}:PreferNoSchedule`,
    ]);
  });

  it('answers gone for a node that no longer exists', async () => {
    const w = await world();
    expect(await w.actions.markNode('aks-user-00000000-vmss00000z', 'stays', true, AT)).toBe('gone');
  });
});
