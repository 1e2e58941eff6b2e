// The Kubernetes API test server driven by the real @kubernetes/client-node 1.4.0, as the adapters
// will drive it: discovery, paginated lists with selectors, the three patch content types, the
// Eviction API and its 429, graceful deletion, the scale subresource, Leases with MicroTime,
// ConfigMaps with optimistic concurrency, Events through both APIs, and Status errors.

import * as k8s from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SimCluster } from '../../../sim/model/cluster';
import { startKubeApiServer, type KubeApiServer } from '../../../sim/servers/kube-api-server';
import { SECOND, livePods, smallCluster } from '../../builders/sim-cluster';

const NODE0 = 'aks-user-27531488-vmss000000';

interface Clients {
  core: k8s.CoreV1Api;
  apps: k8s.AppsV1Api;
  batch: k8s.BatchV1Api;
  policy: k8s.PolicyV1Api;
  coordination: k8s.CoordinationV1Api;
  events: k8s.EventsV1Api;
  version: k8s.VersionApi;
  apis: k8s.ApisApi;
}

function clientsFor(server: KubeApiServer): Clients {
  const kc = new k8s.KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'sim', server: server.url, skipTLSVerify: true }],
    users: [{ name: 'test', token: 'fake-aad-token' }],
    contexts: [{ name: 'sim', cluster: 'sim', user: 'test' }],
    currentContext: 'sim',
  });
  return {
    core: kc.makeApiClient(k8s.CoreV1Api),
    apps: kc.makeApiClient(k8s.AppsV1Api),
    batch: kc.makeApiClient(k8s.BatchV1Api),
    policy: kc.makeApiClient(k8s.PolicyV1Api),
    coordination: kc.makeApiClient(k8s.CoordinationV1Api),
    events: kc.makeApiClient(k8s.EventsV1Api),
    version: kc.makeApiClient(k8s.VersionApi),
    apis: kc.makeApiClient(k8s.ApisApi),
  };
}

/** The ApiException a call failed with: HTTP code and the Status it carried (a JSON string). */
async function apiFailure(
  call: Promise<unknown>,
): Promise<{ code: number; status: { reason?: string; message?: string; code?: number; details?: unknown } }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof k8s.ApiException) {
      return { code: error.code, status: JSON.parse(String(error.body)) as { reason?: string; message?: string } };
    }
    throw error;
  }
  throw new Error('expected an ApiException');
}

const mergePatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
const strategicPatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch);

let cluster: SimCluster;
let server: KubeApiServer;
let api: Clients;

beforeEach(async () => {
  cluster = smallCluster(3, { namespaces: ['clomo', 'graceful-scaler'] });
  cluster.addDeployment({
    name: 'mdm',
    namespace: 'clomo',
    replicas: 6,
    cpu: '250m',
    memory: '512Mi',
    labels: { 'clomo/descheduling': 'enabled' },
  });
  cluster.addDeployment({ name: 'bg', namespace: 'clomo', replicas: 2, grace: 72000 });
  server = await startKubeApiServer(cluster);
  api = clientsFor(server);
});

afterEach(async () => {
  await server.close();
});

describe('discovery', () => {
  it('answers /version, /api and /apis with the groups it serves', async () => {
    expect(await api.version.getCode()).toMatchObject({ major: '1', minor: '33', gitVersion: 'v1.33.5' });
    const groups = await api.apis.getAPIVersions();
    expect(groups.groups.map((g) => g.name).sort()).toEqual(['apps', 'batch', 'coordination.k8s.io', 'events.k8s.io', 'policy']);
    expect(groups.groups.find((g) => g.name === 'policy')?.preferredVersion?.groupVersion).toBe('policy/v1');
  });

  it('lists the resources kubectl needs to list, cordon and drain, with their subresources', async () => {
    const core = await api.core.getAPIResources();
    expect(core.resources.map((r) => r.name).sort()).toEqual([
      'configmaps',
      'events',
      'namespaces',
      'nodes',
      'pods',
      'pods/eviction',
      'replicationcontrollers',
      'services',
    ]);
    expect(core.resources.find((r) => r.name === 'nodes')).toMatchObject({
      namespaced: false,
      kind: 'Node',
      verbs: expect.arrayContaining(['list', 'patch']),
    });
    expect(core.resources.find((r) => r.name === 'pods/eviction')).toMatchObject({
      group: 'policy',
      version: 'v1',
      kind: 'Eviction',
      verbs: ['create'],
    });
    const apps = await api.apps.getAPIResources();
    expect(apps.resources.find((r) => r.name === 'deployments/scale')).toMatchObject({ group: 'autoscaling', kind: 'Scale' });
  });

  it('serves the controllers a reader looks up by name, empty where the model runs none', async () => {
    for (const path of [
      '/apis/apps/v1/statefulsets',
      '/apis/batch/v1/jobs',
      '/api/v1/replicationcontrollers',
      '/apis/apps/v1/replicasets',
      '/apis/apps/v1/daemonsets',
    ]) {
      const list = await fetch(`${server.url}${path}?limit=500`);
      expect(list.status).toBe(200);
      expect(Array.isArray(((await list.json()) as { items: unknown[] }).items)).toBe(true);
    }
  });
});

describe('Services and CronJobs (what the drain audit reads besides the scaler)', () => {
  const cron = (name: string): k8s.V1CronJob => ({
    metadata: { name },
    spec: {
      schedule: '0 2 * * *',
      jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'export', image: 'export:1' }] } } } },
    },
  });

  it('creates Services with the API server’s defaults and lists them across namespaces, page by page', async () => {
    for (const [ns, name] of [
      ['clomo', 'web'],
      ['clomo', 'mdm'],
      ['default', 'api'],
    ] as const)
      await api.core.createNamespacedService({
        namespace: ns,
        body: { metadata: { name }, spec: { selector: { app: name }, ports: [{ port: 80 }] } },
      });
    const first = await api.core.listServiceForAllNamespaces({ limit: 2 });
    expect(first.kind).toBe('ServiceList');
    expect(first.items.map((s) => `${s.metadata?.namespace}/${s.metadata?.name}`)).toEqual(['clomo/mdm', 'clomo/web']);
    expect(first.items[0]?.spec).toMatchObject({
      type: 'ClusterIP',
      sessionAffinity: 'None',
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
    });
    const rest = await api.core.listServiceForAllNamespaces({ limit: 2, _continue: first.metadata!._continue! });
    expect(rest.items.map((s) => s.metadata?.name)).toEqual(['api']);
    expect(rest.metadata?._continue).toBeUndefined();
    expect((await api.core.listNamespacedService({ namespace: 'default' })).items).toHaveLength(1);
  });

  it('creates CronJobs and lists them across namespaces, page by page; a missing one is 404', async () => {
    await api.batch.createNamespacedCronJob({ namespace: 'clomo', body: cron('nightly') });
    await api.batch.createNamespacedCronJob({ namespace: 'default', body: cron('weekly') });
    const first = await api.batch.listCronJobForAllNamespaces({ limit: 1 });
    expect(first.items.map((c) => c.metadata?.name)).toEqual(['nightly']);
    expect(first.items[0]?.metadata?.generation).toBe(1);
    const rest = await api.batch.listCronJobForAllNamespaces({ limit: 1, _continue: first.metadata!._continue! });
    expect(rest.items.map((c) => c.metadata?.name)).toEqual(['weekly']);
    expect(rest.items[0]?.spec?.jobTemplate.spec?.template.spec?.containers[0]?.image).toBe('export:1');
    expect(await apiFailure(api.batch.readNamespacedCronJob({ namespace: 'clomo', name: 'monthly' }))).toMatchObject({
      code: 404,
      status: { reason: 'NotFound', message: 'cronjobs.batch "monthly" not found' },
    });
  });
});

describe('lists', () => {
  it('pages a few hundred pods with limit and _continue, in order, each pod once', async () => {
    cluster.addDeployment({ name: 'many', namespace: 'clomo', replicas: 40 });
    cluster.setAgentPoolCount('user', 12);
    cluster.advance(5 * 60 * SECOND);
    cluster.replaceScale({ namespace: 'clomo', name: 'many' }, { spec: { replicas: 260 } });
    cluster.advance(10 * SECOND);
    const expected = [...cluster.pods()].map((p) => `${p.metadata.namespace}/${p.metadata.name}`).sort();
    expect(expected.length).toBeGreaterThan(300);

    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await api.core.listPodForAllNamespaces({ limit: 50, ...(token !== undefined ? { _continue: token } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(50);
      seen.push(...page.items.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`));
      token = page.metadata?._continue;
      pages++;
    } while (token !== undefined);
    expect(seen).toEqual(expected);
    expect(pages).toBe(Math.ceil(expected.length / 50));
    expect(server.requests.filter((r) => r.path === '/api/v1/pods').map((r) => r.query.limit)).toEqual(Array(pages).fill('50'));
  });

  it('returns typed lists whose items carry no kind or apiVersion, as the real API does', async () => {
    const response = await fetch(`${server.url}/api/v1/namespaces/clomo/pods?limit=2`);
    const body = (await response.json()) as {
      kind: string;
      apiVersion: string;
      metadata: Record<string, unknown>;
      items: Record<string, unknown>[];
    };
    expect(body).toMatchObject({ kind: 'PodList', apiVersion: 'v1', metadata: { continue: expect.any(String), remainingItemCount: 6 } });
    expect(body.items).toHaveLength(2);
    for (const item of body.items) {
      expect(item.kind).toBeUndefined();
      expect(item.apiVersion).toBeUndefined();
      expect(Object.keys(item)).toEqual(['metadata', 'spec', 'status']);
    }
  });

  const selections: { name: string; call: () => Promise<{ items: unknown[] }>; count: number }[] = [
    {
      name: 'label selector',
      call: () => api.core.listNamespacedPod({ namespace: 'clomo', labelSelector: 'app=mdm,clomo/descheduling=enabled' }),
      count: 6,
    },
    {
      name: 'field selector on the node',
      call: () => api.core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${NODE0},status.phase!=Succeeded` }),
      count: 6 + 3,
    },
    {
      name: 'field and label selectors',
      call: () => api.core.listPodForAllNamespaces({ fieldSelector: 'status.phase=Running', labelSelector: 'app!=mdm,k8s-app' }),
      count: 30,
    },
    { name: 'nodes by label', call: () => api.core.listNode({ labelSelector: 'kubernetes.azure.com/agentpool=user' }), count: 3 },
    { name: 'deployments of all namespaces', call: () => api.apps.listDeploymentForAllNamespaces(), count: 2 },
  ];
  it.each(selections)('selects with a $name', async ({ call, count }) => {
    expect((await call()).items).toHaveLength(count);
  });

  it('answers 400 for a field the kind does not support', async () => {
    expect(await apiFailure(api.core.listPodForAllNamespaces({ fieldSelector: 'spec.priority=0' }))).toMatchObject({
      code: 400,
      status: { reason: 'BadRequest', message: 'field label not supported: spec.priority' },
    });
  });

  it('deserialises into client-node models (timestamps as Date, PDB status numbers)', async () => {
    cluster.addPdb({ name: 'mdm', namespace: 'clomo', minAvailable: '80%' });
    const pdbs = await api.policy.listPodDisruptionBudgetForAllNamespaces();
    expect(pdbs.items[0]?.status).toMatchObject({ expectedPods: 6, desiredHealthy: 5, currentHealthy: 6, disruptionsAllowed: 1 });
    const node = await api.core.readNode({ name: NODE0 });
    expect(node.metadata?.creationTimestamp).toBeInstanceOf(Date);
    expect(node.spec?.providerID).toMatch(/virtualMachines\/0$/);
  });
});

describe('patching a node (cordon)', () => {
  it('takes a merge patch (with the content type recorded) and the node controller adds the taint', async () => {
    const patched = await api.core.patchNode(
      { name: NODE0, body: { spec: { unschedulable: true }, metadata: { annotations: { 'graceful-scaler.io/drain-reason': 'night' } } } },
      mergePatch,
    );
    expect(patched.spec?.unschedulable).toBe(true);
    expect(server.requests.at(-1)).toMatchObject({
      method: 'PATCH',
      path: `/api/v1/nodes/${NODE0}`,
      contentType: 'application/merge-patch+json',
    });
    cluster.advance(0);
    const node = await api.core.readNode({ name: NODE0 });
    expect(node.spec?.taints?.map((t) => t.key)).toEqual(['node.kubernetes.io/unschedulable']);
    expect(node.metadata?.annotations?.['graceful-scaler.io/drain-reason']).toBe('night');
  });

  it('takes a strategic merge patch deleting an annotation with null', async () => {
    await api.core.patchNode({ name: NODE0, body: { metadata: { annotations: { a: '1', b: '2' } } } }, mergePatch);
    const patched = await api.core.patchNode(
      { name: NODE0, body: { spec: { unschedulable: false }, metadata: { annotations: { a: null } } } },
      strategicPatch,
    );
    expect(patched.metadata?.annotations?.a).toBeUndefined();
    expect(patched.metadata?.annotations?.b).toBe('2');
    expect(server.requests.at(-1)?.contentType).toBe('application/strategic-merge-patch+json');
  });

  it('sends JSON patch by default: an array works, a merge-style object is refused with 400', async () => {
    const patched = await api.core.patchNode({ name: NODE0, body: [{ op: 'add', path: '/spec/unschedulable', value: true }] });
    expect(patched.spec?.unschedulable).toBe(true);
    expect(server.requests.at(-1)?.contentType).toBe('application/json-patch+json');
    expect(await apiFailure(api.core.patchNode({ name: NODE0, body: { spec: { unschedulable: false } } }))).toMatchObject({
      code: 400,
      status: { reason: 'BadRequest', message: 'json: cannot unmarshal object into Go value of type jsonpatch.Patch' },
    });
  });

  it('answers 422 for a JSON patch whose test fails, and 415 for a content type it does not take', async () => {
    expect(
      (await apiFailure(api.core.patchNode({ name: NODE0, body: [{ op: 'test', path: '/spec/unschedulable', value: true }] }))).code,
    ).toBe(422);
    const applyPatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.ServerSideApply);
    expect(await apiFailure(api.core.patchNode({ name: NODE0, body: { spec: { unschedulable: true } } }, applyPatch))).toMatchObject({
      code: 415,
      status: { reason: 'UnsupportedMediaType' },
    });
  });

  it('answers 404 for a node that does not exist', async () => {
    expect(await apiFailure(api.core.patchNode({ name: 'nope', body: { spec: { unschedulable: true } } }, mergePatch))).toMatchObject({
      code: 404,
      status: { reason: 'NotFound', message: 'nodes "nope" not found', details: { name: 'nope', kind: 'nodes' } },
    });
  });
});

describe('patching a node (taints and labels)', () => {
  const candidate = { key: 'graceful-scaler.io/drain-candidate', value: '1796014500', effect: 'PreferNoSchedule' };

  it('replaces the taint list whole with a merge patch, and deletes a label with null', async () => {
    await api.core.patchNode({ name: NODE0, body: { spec: { taints: [{ key: 'example.com/spot', effect: 'NoSchedule' }] } } }, mergePatch);
    const tainted = await api.core.patchNode(
      {
        name: NODE0,
        body: {
          spec: { taints: [{ key: 'example.com/spot', effect: 'NoSchedule' }, candidate] },
          metadata: { labels: { 'graceful-scaler.io/stays': 'true' } },
        },
      },
      mergePatch,
    );
    expect(tainted.spec?.taints?.map((t) => `${t.key}=${t.value ?? ''}:${t.effect}`)).toEqual([
      'example.com/spot=:NoSchedule',
      'graceful-scaler.io/drain-candidate=1796014500:PreferNoSchedule',
    ]);
    expect(tainted.metadata?.labels?.['graceful-scaler.io/stays']).toBe('true');
    const cleared = await api.core.patchNode(
      { name: NODE0, body: { metadata: { labels: { 'graceful-scaler.io/stays': null } } } },
      strategicPatch,
    );
    expect(cleared.metadata?.labels?.['graceful-scaler.io/stays']).toBeUndefined();
    expect(cleared.spec?.taints).toHaveLength(2);
  });

  it('answers 409 to a patch naming a resourceVersion that is no longer current', async () => {
    const read = await api.core.readNode({ name: NODE0 });
    await api.core.patchNode({ name: NODE0, body: { metadata: { labels: { someone: 'else' } } } }, mergePatch);
    const stale = { metadata: { resourceVersion: read.metadata?.resourceVersion }, spec: { taints: [candidate] } };
    expect(await apiFailure(api.core.patchNode({ name: NODE0, body: stale }, mergePatch))).toMatchObject({
      code: 409,
      status: { reason: 'Conflict' },
    });
    expect((await api.core.readNode({ name: NODE0 })).spec?.taints ?? []).toEqual([]);
  });

  it('refuses a taint whose value is no label value (an RFC 3339 time), and a key and effect pair given twice', async () => {
    const iso = { ...candidate, value: '2026-11-30T12:15:00Z' };
    const refused = await apiFailure(api.core.patchNode({ name: NODE0, body: { spec: { taints: [iso] } } }, mergePatch));
    expect(refused.code).toBe(422);
    expect(refused.status.message).toContain(
      'spec.taints[0].value: Invalid value: "2026-11-30T12:15:00Z": a valid label must be an empty string',
    );
    const twice = await apiFailure(api.core.patchNode({ name: NODE0, body: { spec: { taints: [candidate, candidate] } } }, mergePatch));
    expect(twice.status.message).toContain('spec.taints[1]: Duplicate value');
    expect(twice.status.message).toContain('taints must be unique by key and effect pair');
  });
});

describe('pods', () => {
  it('patches annotations (pod-deletion-cost) with a merge patch', async () => {
    const name = livePods(cluster, 'clomo', 'bg')[0]!.metadata.name;
    const patched = await api.core.patchNamespacedPod(
      { name, namespace: 'clomo', body: { metadata: { annotations: { 'controller.kubernetes.io/pod-deletion-cost': '0' } } } },
      mergePatch,
    );
    expect(patched.metadata?.annotations).toEqual({ 'controller.kubernetes.io/pod-deletion-cost': '0' });
  });

  it('deletes gracefully: the pod comes back Terminating and is gone after it exits', async () => {
    const name = livePods(cluster, 'clomo', 'mdm')[0]!.metadata.name;
    const deleted = await api.core.deleteNamespacedPod({ name, namespace: 'clomo' });
    expect(deleted.metadata?.deletionTimestamp).toBeInstanceOf(Date);
    expect(deleted.metadata?.deletionGracePeriodSeconds).toBe(30);
    cluster.advance(2 * SECOND);
    expect((await apiFailure(api.core.readNamespacedPod({ name, namespace: 'clomo' }))).code).toBe(404);
  });

  it('evicts through the Eviction API, and a PDB that allows nothing surfaces as ApiException 429', async () => {
    cluster.addPdb({ name: 'mdm', namespace: 'clomo', maxUnavailable: 1 });
    const [first, second] = livePods(cluster, 'clomo', 'mdm').map((p) => p.metadata.name);
    const eviction = (name: string): k8s.V1Eviction => ({
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name, namespace: 'clomo' },
    });
    await api.core.createNamespacedPodEviction({ name: first!, namespace: 'clomo', body: eviction(first!) });
    expect(server.requests.at(-1)).toMatchObject({ method: 'POST', path: `/api/v1/namespaces/clomo/pods/${first}/eviction`, status: 201 });
    expect(cluster.pod('clomo', first!)?.metadata.deletionTimestamp).toBeDefined();

    const refused = await apiFailure(api.core.createNamespacedPodEviction({ name: second!, namespace: 'clomo', body: eviction(second!) }));
    expect(refused).toEqual({
      code: 429,
      status: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: "Cannot evict pod as it would violate the pod's disruption budget.",
        reason: 'TooManyRequests',
        details: {
          causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget mdm needs 5 healthy pods and has 5 currently' }],
        },
        code: 429,
      },
    });
  });

  it('answers an eviction with 404 when the pod is gone and 500 when two budgets select it', async () => {
    const name = livePods(cluster, 'clomo', 'mdm')[0]!.metadata.name;
    const body = (n: string): k8s.V1Eviction => ({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: n, namespace: 'clomo' } });
    expect((await apiFailure(api.core.createNamespacedPodEviction({ name: 'gone', namespace: 'clomo', body: body('gone') }))).code).toBe(
      404,
    );
    cluster.addPdb({ name: 'mdm', namespace: 'clomo', maxUnavailable: 1 });
    cluster.addPdb({ name: 'descheduling', namespace: 'clomo', matchLabels: { 'clomo/descheduling': 'enabled' }, maxUnavailable: 1 });
    expect(await apiFailure(api.core.createNamespacedPodEviction({ name, namespace: 'clomo', body: body(name) }))).toMatchObject({
      code: 500,
      status: { reason: 'InternalError' },
    });
  });
});

describe('scale subresource', () => {
  it('reads, replaces and merge-patches a Deployment scale; the ReplicaSet follows', async () => {
    const scale = await api.apps.readNamespacedDeploymentScale({ name: 'bg', namespace: 'clomo' });
    expect(scale).toMatchObject({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      spec: { replicas: 2 },
      status: { replicas: 2, selector: 'app=bg' },
    });
    await api.apps.replaceNamespacedDeploymentScale({
      name: 'bg',
      namespace: 'clomo',
      body: { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'bg', namespace: 'clomo' }, spec: { replicas: 4 } },
    });
    await api.apps.patchNamespacedDeploymentScale({ name: 'bg', namespace: 'clomo', body: { spec: { replicas: 5 } } }, mergePatch);
    expect(server.requests.at(-1)).toMatchObject({
      method: 'PATCH',
      path: '/apis/apps/v1/namespaces/clomo/deployments/bg/scale',
      contentType: 'application/merge-patch+json',
    });
    cluster.advance(10 * SECOND);
    expect((await api.apps.readNamespacedDeployment({ name: 'bg', namespace: 'clomo' })).status).toMatchObject({
      replicas: 5,
      readyReplicas: 5,
    });
  });

  it('refuses a scale replace carrying a stale resourceVersion with 409', async () => {
    const scale = await api.apps.readNamespacedDeploymentScale({ name: 'bg', namespace: 'clomo' });
    await api.apps.replaceNamespacedDeploymentScale({ name: 'bg', namespace: 'clomo', body: { ...scale, spec: { replicas: 3 } } });
    expect(
      (
        await apiFailure(
          api.apps.replaceNamespacedDeploymentScale({ name: 'bg', namespace: 'clomo', body: { ...scale, spec: { replicas: 1 } } }),
        )
      ).code,
    ).toBe(409);
  });
});

describe('Leases', () => {
  const body = (renewTime: k8s.V1MicroTime | Date, resourceVersion?: string): k8s.V1Lease => ({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: 'node-scaler', namespace: 'graceful-scaler', ...(resourceVersion !== undefined ? { resourceVersion } : {}) },
    spec: { holderIdentity: 'func-1', leaseDurationSeconds: 60, acquireTime: renewTime, renewTime, leaseTransitions: 0 },
  });

  it('creates with V1MicroTime, answers 409 AlreadyExists to a second create, reads the time back as a string', async () => {
    const missing = await apiFailure(api.coordination.readNamespacedLease({ name: 'node-scaler', namespace: 'graceful-scaler' }));
    expect(missing).toMatchObject({ code: 404, status: { message: 'leases.coordination.k8s.io "node-scaler" not found' } });
    await api.coordination.createNamespacedLease({ namespace: 'graceful-scaler', body: body(new k8s.V1MicroTime(cluster.now())) });
    expect(server.requests.at(-1)?.body).toMatch(/"renewTime":"2026-11-01T00:00:00\.000000Z"/);
    expect(
      (
        await apiFailure(
          api.coordination.createNamespacedLease({ namespace: 'graceful-scaler', body: body(new k8s.V1MicroTime(cluster.now())) }),
        )
      ).status,
    ).toMatchObject({
      reason: 'AlreadyExists',
      code: 409,
    });
    const read = await api.coordination.readNamespacedLease({ name: 'node-scaler', namespace: 'graceful-scaler' });
    expect(String(read.spec?.renewTime)).toBe('2026-11-01T00:00:00.000000Z');
  });

  it('replaces with the resourceVersion read, and answers 409 Conflict to a replace with a stale one', async () => {
    const created = await api.coordination.createNamespacedLease({
      namespace: 'graceful-scaler',
      body: body(new k8s.V1MicroTime(cluster.now())),
    });
    const stale = created.metadata!.resourceVersion!;
    await api.coordination.replaceNamespacedLease({
      name: 'node-scaler',
      namespace: 'graceful-scaler',
      body: body(new k8s.V1MicroTime(cluster.now() + 10_000), stale),
    });
    const conflict = await apiFailure(
      api.coordination.replaceNamespacedLease({
        name: 'node-scaler',
        namespace: 'graceful-scaler',
        body: body(new k8s.V1MicroTime(cluster.now() + 20_000), stale),
      }),
    );
    expect(conflict).toMatchObject({ code: 409, status: { reason: 'Conflict' } });
    await api.coordination.deleteNamespacedLease({ name: 'node-scaler', namespace: 'graceful-scaler' });
    expect((await apiFailure(api.coordination.readNamespacedLease({ name: 'node-scaler', namespace: 'graceful-scaler' }))).code).toBe(404);
  });

  it('refuses a plain Date renewTime (three fractional digits) with 400, as the real API server', async () => {
    const refused = await apiFailure(
      api.coordination.createNamespacedLease({ namespace: 'graceful-scaler', body: body(new Date(cluster.now() + 160)) }),
    );
    expect(refused).toMatchObject({ code: 400, status: { reason: 'BadRequest' } });
    expect(refused.status.message).toContain('parsing time "2026-11-01T00:00:00.160Z" as "2006-01-02T15:04:05.000000Z07:00"');
  });
});

describe('ConfigMaps', () => {
  it('creates, replaces with optimistic concurrency (409 when stale) and patches', async () => {
    const created = await api.core.createNamespacedConfigMap({
      namespace: 'graceful-scaler',
      body: { metadata: { name: 'graceful-scaler-state' }, data: { memory: '{}' } },
    });
    const version = created.metadata!.resourceVersion!;
    await api.core.replaceNamespacedConfigMap({
      name: 'graceful-scaler-state',
      namespace: 'graceful-scaler',
      body: { metadata: { name: 'graceful-scaler-state', resourceVersion: version }, data: { memory: '{"v":1}' } },
    });
    const conflict = await apiFailure(
      api.core.replaceNamespacedConfigMap({
        name: 'graceful-scaler-state',
        namespace: 'graceful-scaler',
        body: { metadata: { name: 'graceful-scaler-state', resourceVersion: version }, data: { memory: '{"v":2}' } },
      }),
    );
    expect(conflict).toMatchObject({
      code: 409,
      status: { reason: 'Conflict', message: expect.stringContaining('configmaps "graceful-scaler-state"') },
    });
    const patched = await api.core.patchNamespacedConfigMap(
      { name: 'graceful-scaler-state', namespace: 'graceful-scaler', body: { data: { status: 'ok' } } },
      mergePatch,
    );
    expect(patched.data).toEqual({ memory: '{"v":1}', status: 'ok' });
  });
});

describe('Events', () => {
  it('takes core/v1 and events.k8s.io/v1 Events and lists them as one', async () => {
    const now = new Date(cluster.now());
    await api.core.createNamespacedEvent({
      namespace: 'default',
      body: {
        metadata: { generateName: 'graceful-scaler-' },
        involvedObject: { apiVersion: 'v1', kind: 'Node', name: NODE0 },
        reason: 'Cordon',
        message: 'cordoned for the night',
        type: 'Normal',
        source: { component: 'graceful-scaler' },
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
      },
    });
    await api.events.createNamespacedEvent({
      namespace: 'clomo',
      body: {
        metadata: { generateName: 'graceful-scaler-' },
        eventTime: new k8s.V1MicroTime(cluster.now()),
        reportingController: 'graceful-scaler',
        reportingInstance: 'func-1',
        action: 'Evict',
        reason: 'ScaleDown',
        note: 'evicted for the night',
        type: 'Normal',
        regarding: { apiVersion: 'v1', kind: 'Pod', name: 'mdm-x', namespace: 'clomo' },
      },
    });
    const core = await api.core.listEventForAllNamespaces();
    expect(core.items.map((e) => [e.metadata.namespace, e.reason, e.message]).sort()).toEqual([
      ['clomo', 'ScaleDown', 'evicted for the night'],
      ['default', 'Cordon', 'cordoned for the night'],
    ]);
    const v1 = await api.events.listNamespacedEvent({ namespace: 'default' });
    expect(v1.items[0]).toMatchObject({ note: 'cordoned for the night', regarding: { kind: 'Node', name: NODE0 } });
  });
});

describe('errors and recording', () => {
  it('answers unknown paths with a 404 Status and unsupported methods with 405', async () => {
    // A resource the simulated server does not serve.
    const unknown = await fetch(`${server.url}/apis/apps/v1/controllerrevisions`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404 });
    const wrong = await fetch(`${server.url}/api/v1/nodes/${NODE0}`, { method: 'POST', body: '{}' });
    expect(wrong.status).toBe(405);
    expect(await wrong.json()).toMatchObject({ reason: 'MethodNotAllowed', code: 405 });
  });

  it('records method, path, query and content type of every request', async () => {
    server.requests.length = 0;
    await api.core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${NODE0}`, limit: 10 });
    expect(server.requests).toEqual([
      {
        method: 'GET',
        path: '/api/v1/pods',
        query: { fieldSelector: `spec.nodeName=${NODE0}`, limit: '10' },
        contentType: undefined,
        body: '',
        status: 200,
      },
    ]);
  });
});
