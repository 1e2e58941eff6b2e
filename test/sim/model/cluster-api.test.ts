// The API operations of the model with the API server's semantics: resourceVersions and conflicts,
// create/replace/patch/delete rules per kind, list with selectors and pagination, Leases with
// MicroTime, Events through both APIs, the scale subresource.

import { describe, expect, it } from 'vitest';
import { ApiError, type Status } from '../../../sim/model/api-errors';
import { SimCluster } from '../../../sim/model/cluster';
import type { DeepReadonly, KubeObject } from '../../../sim/model/objects';
import { CONFIG_MAPS, CORE_EVENTS, DEPLOYMENTS, EVENTS, LEASES, NAMESPACES, NODES, PODS } from '../../../sim/model/resources';
import { HOUR, SECOND, livePods, smallCluster } from '../../builders/sim-cluster';

function failure(run: () => unknown): Status {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return error.status();
    throw error;
  }
  throw new Error('expected an ApiError');
}

function configMap(name: string, data: Record<string, string> = {}, resourceVersion?: string): object {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(resourceVersion !== undefined ? { resourceVersion } : {}) }, data };
}

function lease(name: string, renewTime: string, resourceVersion?: string): object {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name, ...(resourceVersion !== undefined ? { resourceVersion } : {}) },
    spec: { holderIdentity: 'func-1', leaseDurationSeconds: 60, acquireTime: renewTime, renewTime, leaseTransitions: 0 },
  };
}

const ref = (name: string) => ({ namespace: 'graceful-scaler', name });

function stateCluster(): SimCluster {
  return SimCluster.aks({ pools: [{ name: 'user', count: 2 }], namespaces: ['graceful-scaler', 'clomo'] });
}

describe('resourceVersion and optimistic concurrency', () => {
  it('gives every write the next cluster-wide resourceVersion (a string)', () => {
    const cluster = stateCluster();
    const a = cluster.create(CONFIG_MAPS, configMap('a'), 'graceful-scaler');
    const b = cluster.create(CONFIG_MAPS, configMap('b'), 'graceful-scaler');
    expect(typeof a.metadata.resourceVersion).toBe('string');
    expect(Number(b.metadata.resourceVersion)).toBe(Number(a.metadata.resourceVersion) + 1);
  });

  it('refuses a replace with a stale resourceVersion: 409 Conflict', () => {
    const cluster = stateCluster();
    const created = cluster.create(CONFIG_MAPS, configMap('state', { v: '1' }), 'graceful-scaler');
    cluster.replace(CONFIG_MAPS, ref('state'), configMap('state', { v: '2' }, created.metadata.resourceVersion));
    expect(
      failure(() => cluster.replace(CONFIG_MAPS, ref('state'), configMap('state', { v: '3' }, created.metadata.resourceVersion))),
    ).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'Operation cannot be fulfilled on configmaps "state": the object has been modified; please apply your changes to the latest version and try again',
      reason: 'Conflict',
      details: { name: 'state', kind: 'configmaps' },
      code: 409,
    });
    expect((cluster.get(CONFIG_MAPS, ref('state')) as { data?: unknown }).data).toEqual({ v: '2' });
  });

  it('replaces unconditionally without a resourceVersion, and a patch naming a stale one conflicts', () => {
    const cluster = stateCluster();
    const created = cluster.create(CONFIG_MAPS, configMap('state', { v: '1' }), 'graceful-scaler');
    cluster.replace(CONFIG_MAPS, ref('state'), configMap('state', { v: '2' }));
    expect(
      failure(() =>
        cluster.patch(
          CONFIG_MAPS,
          ref('state'),
          { metadata: { resourceVersion: created.metadata.resourceVersion }, data: { v: '3' } },
          'merge',
        ),
      ).code,
    ).toBe(409);
  });

  it('keeps the resourceVersion for a write that changes nothing', () => {
    const cluster = stateCluster();
    const created = cluster.create(CONFIG_MAPS, configMap('state', { v: '1' }), 'graceful-scaler');
    expect(cluster.patch(CONFIG_MAPS, ref('state'), { data: { v: '1' } }, 'merge').metadata.resourceVersion).toBe(
      created.metadata.resourceVersion,
    );
  });

  it('checks delete preconditions', () => {
    const cluster = stateCluster();
    const created = cluster.create(CONFIG_MAPS, configMap('state'), 'graceful-scaler');
    expect(failure(() => cluster.delete(CONFIG_MAPS, ref('state'), { preconditions: { resourceVersion: '1' } })).code).toBe(409);
    cluster.delete(CONFIG_MAPS, ref('state'), { preconditions: { uid: created.metadata.uid } });
    expect(failure(() => cluster.get(CONFIG_MAPS, ref('state'))).code).toBe(404);
  });
});

describe('create, get, replace, delete errors', () => {
  const cases: { name: string; run: (c: SimCluster) => unknown; code: number; reason: string; message: unknown }[] = [
    {
      name: 'create of an existing object',
      run: (c) => {
        c.create(CONFIG_MAPS, configMap('x'), 'graceful-scaler');
        return c.create(CONFIG_MAPS, configMap('x'), 'graceful-scaler');
      },
      code: 409,
      reason: 'AlreadyExists',
      message: 'configmaps "x" already exists',
    },
    {
      name: 'get of a missing Lease',
      run: (c) => c.get(LEASES, ref('scaler')),
      code: 404,
      reason: 'NotFound',
      message: 'leases.coordination.k8s.io "scaler" not found',
    },
    {
      name: 'replace of a missing object',
      run: (c) => c.replace(CONFIG_MAPS, ref('x'), configMap('x')),
      code: 404,
      reason: 'NotFound',
      message: 'configmaps "x" not found',
    },
    {
      name: 'create in a missing namespace',
      run: (c) => c.create(CONFIG_MAPS, configMap('x'), 'nope'),
      code: 404,
      reason: 'NotFound',
      message: 'namespaces "nope" not found',
    },
    {
      name: 'create without a name',
      run: (c) => c.create(CONFIG_MAPS, { metadata: {} }, 'graceful-scaler'),
      code: 422,
      reason: 'Invalid',
      message: 'ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required',
    },
    {
      name: 'a body for another namespace',
      run: (c) => c.create(CONFIG_MAPS, { metadata: { name: 'x', namespace: 'clomo' } }, 'graceful-scaler'),
      code: 400,
      reason: 'BadRequest',
      message: 'the namespace of the provided object does not match the namespace sent on the request',
    },
    {
      name: 'a replace naming another object',
      run: (c) => {
        c.create(CONFIG_MAPS, configMap('x'), 'graceful-scaler');
        return c.replace(CONFIG_MAPS, ref('x'), configMap('y'));
      },
      code: 400,
      reason: 'BadRequest',
      message: 'the name of the object (y) does not match the name on the URL (x)',
    },
    {
      name: 'a body of another kind',
      run: (c) => c.create(CONFIG_MAPS, { kind: 'Secret', metadata: { name: 'x' } }, 'graceful-scaler'),
      code: 400,
      reason: 'BadRequest',
      message: 'ConfigMap in version "v1" cannot be handled as a ConfigMap: the kind of the object (Secret) is not ConfigMap',
    },
    {
      name: 'an invalid name',
      run: (c) => c.create(CONFIG_MAPS, configMap('Not_Valid'), 'graceful-scaler'),
      code: 422,
      reason: 'Invalid',
      message: expect.stringContaining('ConfigMap "Not_Valid" is invalid: metadata.name: Invalid value'),
    },
  ];
  it.each(cases)('$name → $code $reason', ({ run, code, reason, message }) => {
    expect(failure(() => run(stateCluster()))).toMatchObject({ code, reason, message });
  });

  it('generates a name from generateName', () => {
    const created = stateCluster().create(CONFIG_MAPS, { metadata: { generateName: 'run-' } }, 'graceful-scaler');
    expect(created.metadata.name).toMatch(/^run-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('deleting a namespace removes what is in it', () => {
    const cluster = stateCluster();
    cluster.create(CONFIG_MAPS, configMap('x'), 'graceful-scaler');
    cluster.delete(NAMESPACES, { name: 'graceful-scaler' });
    expect(cluster.list(CONFIG_MAPS, { namespace: 'graceful-scaler' }).items).toEqual([]);
  });
});

describe('per-kind update rules', () => {
  it('ignores status on a Deployment update (status subresource) and counts spec changes in generation', () => {
    const cluster = smallCluster(2);
    const deployment = cluster.addDeployment({ name: 'web', namespace: 'clomo', replicas: 2 });
    const body = JSON.parse(JSON.stringify(deployment)) as { spec: { replicas: number }; status: { replicas: number } };
    body.spec.replicas = 3;
    body.status.replicas = 99;
    const replaced = cluster.replace(DEPLOYMENTS, { namespace: 'clomo', name: 'web' }, body) as DeepReadonly<KubeObject> & {
      status: { replicas: number };
    };
    expect(replaced.metadata.generation).toBe(2);
    expect(replaced.status.replicas).toBe(2);
    cluster.advance(10 * SECOND);
    expect(cluster.deployment('clomo', 'web')?.status).toMatchObject({ replicas: 3, readyReplicas: 3, observedGeneration: 2 });
  });

  it('lets a pod update change annotations but not its spec (422)', () => {
    const cluster = smallCluster(2);
    cluster.addDeployment({ name: 'web', namespace: 'clomo', replicas: 1 });
    const pod = livePods(cluster, 'clomo', 'web')[0]!;
    const podRef = { namespace: 'clomo', name: pod.metadata.name };
    const patched = cluster.patch(
      PODS,
      podRef,
      { metadata: { annotations: { 'controller.kubernetes.io/pod-deletion-cost': '1000' } } },
      'strategic',
    );
    expect(patched.metadata.annotations).toEqual({ 'controller.kubernetes.io/pod-deletion-cost': '1000' });
    const moved = failure(() => cluster.patch(PODS, podRef, [{ op: 'replace', path: '/spec/nodeName', value: 'elsewhere' }], 'json'));
    expect(moved).toMatchObject({ code: 422, reason: 'Invalid' });
    expect(moved.message).toMatch(/pod updates may not change fields other than/);
  });

  it('keeps a node status when the node is patched (a cordon touches spec only)', () => {
    const cluster = smallCluster(1);
    const node = cluster.patch(
      NODES,
      { name: 'aks-user-27531488-vmss000000' },
      { spec: { unschedulable: true }, status: { conditions: [] } },
      'merge',
    );
    expect((node as DeepReadonly<KubeObject> & { status: { conditions: unknown[] } }).status.conditions).toHaveLength(4);
  });
});

describe('list', () => {
  function podCluster(): SimCluster {
    const cluster = smallCluster(3);
    cluster.addDeployment({ name: 'web', namespace: 'clomo', replicas: 6 });
    cluster.addDeployment({ name: 'bg', namespace: 'clomo', replicas: 2 });
    cluster.addDeployment({ name: 'panel', namespace: 'default', replicas: 1 });
    return cluster;
  }

  it('answers a typed list (PodList) with the resourceVersion of the cluster', () => {
    const cluster = podCluster();
    const list = cluster.list(PODS, { namespace: 'clomo' });
    expect(list).toMatchObject({ apiVersion: 'v1', kind: 'PodList', metadata: { resourceVersion: expect.stringMatching(/^\d+$/) } });
    expect(list.items).toHaveLength(8);
  });

  const selectors: { name: string; options: { labelSelector?: string; fieldSelector?: string; namespace?: string }; count: number }[] = [
    { name: 'label equality', options: { labelSelector: 'app=web' }, count: 6 },
    { name: 'label inequality (also pods without the label)', options: { namespace: 'clomo', labelSelector: 'app!=web' }, count: 2 },
    { name: 'set-based label', options: { labelSelector: 'app in (bg,panel)' }, count: 3 },
    { name: 'label existence', options: { labelSelector: 'k8s-app' }, count: 30 },
    { name: 'field: pods of one node', options: { fieldSelector: 'spec.nodeName=aks-batch-27531488-vmss000000' }, count: 6 },
    { name: 'field: unbound pods', options: { fieldSelector: 'spec.nodeName=' }, count: 0 },
    {
      name: 'field: phase and node together',
      options: { fieldSelector: 'spec.nodeName=aks-user-27531488-vmss000000,status.phase!=Succeeded' },
      count: 9,
    },
    { name: 'field: metadata.name', options: { namespace: 'default', fieldSelector: 'metadata.name!=nothing' }, count: 1 },
    { name: 'field and label', options: { fieldSelector: 'status.phase=Running', labelSelector: 'app=bg' }, count: 2 },
  ];
  it.each(selectors)('selects by $name', ({ options, count }) => {
    expect(podCluster().list(PODS, options).items).toHaveLength(count);
  });

  it('refuses an unsupported field (400) and a bad label selector (400)', () => {
    const cluster = podCluster();
    expect(failure(() => cluster.list(PODS, { fieldSelector: 'spec.priority=0' }))).toMatchObject({
      code: 400,
      message: 'field label not supported: spec.priority',
    });
    expect(failure(() => cluster.list(PODS, { labelSelector: 'app in (' })).code).toBe(400);
  });

  it('pages with limit and an opaque continue token, in key order, keeping the first page resourceVersion', () => {
    const cluster = podCluster();
    const all = cluster.list(PODS).items.map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
    expect(all).toEqual([...all].sort());
    const seen: string[] = [];
    let page = cluster.list(PODS, { limit: 7 });
    const firstVersion = page.metadata.resourceVersion;
    expect(page.metadata.remainingItemCount).toBe(all.length - 7);
    for (;;) {
      seen.push(...page.items.map((p) => `${p.metadata.namespace}/${p.metadata.name}`));
      if (page.metadata.continue === undefined) break;
      cluster.create(CONFIG_MAPS, { metadata: { generateName: 'write-' } }, 'default');
      page = cluster.list(PODS, { limit: 7, continue: page.metadata.continue });
      expect(page.metadata.resourceVersion).toBe(firstVersion);
    }
    expect(seen).toEqual(all);
  });

  it('refuses a continue token it did not make (400)', () => {
    expect(failure(() => podCluster().list(PODS, { limit: 5, continue: 'not-a-token' })).code).toBe(400);
  });
});

describe('Leases', () => {
  it('accepts MicroTime with six fractional digits and refuses a JavaScript Date (three digits) with 400', () => {
    const cluster = stateCluster();
    const created = cluster.create(LEASES, lease('node-scaler', '2026-11-27T19:40:12.160000Z'), 'graceful-scaler');
    expect((created as DeepReadonly<KubeObject> & { spec: { renewTime: string } }).spec.renewTime).toBe('2026-11-27T19:40:12.160000Z');
    expect(failure(() => cluster.replace(LEASES, ref('node-scaler'), lease('node-scaler', '2026-11-27T19:40:12.160Z')))).toMatchObject({
      code: 400,
      reason: 'BadRequest',
      message: expect.stringContaining('parsing time "2026-11-27T19:40:12.160Z" as "2006-01-02T15:04:05.000000Z07:00"'),
    });
  });

  it('creates once (409 AlreadyExists after), replaces with the resourceVersion read (409 Conflict when stale)', () => {
    const cluster = stateCluster();
    const created = cluster.create(LEASES, lease('node-scaler', '2026-11-27T19:40:12.160000Z'), 'graceful-scaler');
    expect(failure(() => cluster.create(LEASES, lease('node-scaler', '2026-11-27T19:40:13.000000Z'), 'graceful-scaler'))).toMatchObject({
      code: 409,
      reason: 'AlreadyExists',
    });
    cluster.replace(LEASES, ref('node-scaler'), lease('node-scaler', '2026-11-27T19:41:12.000000Z', created.metadata.resourceVersion));
    expect(
      failure(() =>
        cluster.replace(LEASES, ref('node-scaler'), lease('node-scaler', '2026-11-27T19:42:12.000000Z', created.metadata.resourceVersion)),
      ),
    ).toMatchObject({
      code: 409,
      reason: 'Conflict',
      message: expect.stringContaining('leases.coordination.k8s.io "node-scaler"'),
    });
  });

  it('refuses a non-positive lease duration (422)', () => {
    const body = lease('x', '2026-11-27T19:40:12.160000Z') as { spec: { leaseDurationSeconds: number } };
    body.spec.leaseDurationSeconds = 0;
    expect(failure(() => stateCluster().create(LEASES, body, 'graceful-scaler')).code).toBe(422);
  });
});

describe('Events', () => {
  const coreEvent = (namespace: string | undefined): object => ({
    metadata: { generateName: 'graceful-scaler-' },
    involvedObject: {
      apiVersion: 'v1',
      kind: namespace === undefined ? 'Node' : 'Pod',
      name: 'x',
      ...(namespace !== undefined ? { namespace } : {}),
    },
    reason: 'Cordon',
    message: 'cordoned for scale-down',
    type: 'Normal',
    source: { component: 'graceful-scaler' },
    firstTimestamp: '2026-11-01T00:00:00.123Z',
    lastTimestamp: '2026-11-01T00:00:00.123Z',
    count: 1,
  });

  it('stores a core/v1 Event (times to the second) and shows it through events.k8s.io/v1 too', () => {
    const cluster = stateCluster();
    const created = cluster.create(CORE_EVENTS, coreEvent(undefined), 'default') as DeepReadonly<KubeObject> & { lastTimestamp: string };
    expect(created.lastTimestamp).toBe('2026-11-01T00:00:00Z');
    const seen = cluster.get(EVENTS, { namespace: 'default', name: created.metadata.name }) as DeepReadonly<KubeObject> &
      Record<string, unknown>;
    expect(seen).toMatchObject({
      apiVersion: 'events.k8s.io/v1',
      note: 'cordoned for scale-down',
      regarding: { kind: 'Node', name: 'x' },
      deprecatedCount: 1,
    });
    expect(cluster.list(CORE_EVENTS, { namespace: 'default', fieldSelector: 'involvedObject.kind=Node,reason=Cordon' }).items).toHaveLength(
      1,
    );
  });

  it('refuses an Event about a Node outside default, or about an object of another namespace (422)', () => {
    const cluster = stateCluster();
    expect(failure(() => cluster.create(CORE_EVENTS, coreEvent(undefined), 'clomo')).code).toBe(422);
    expect(failure(() => cluster.create(CORE_EVENTS, coreEvent('default'), 'clomo')).code).toBe(422);
  });

  it('takes an events.k8s.io/v1 Event (eventTime required) and shows it as a core Event', () => {
    const cluster = stateCluster();
    const body = {
      metadata: { name: 'drain.1' },
      eventTime: '2026-11-01T00:00:00.000000Z',
      reportingController: 'graceful-scaler',
      reportingInstance: 'func-1',
      action: 'Drain',
      reason: 'ScaleDown',
      note: 'draining for the night',
      type: 'Normal',
      regarding: { kind: 'Node', name: 'aks-user-27531488-vmss000001' },
    };
    cluster.create(EVENTS, body, 'default');
    expect(cluster.get(CORE_EVENTS, { namespace: 'default', name: 'drain.1' })).toMatchObject({
      message: 'draining for the night',
      involvedObject: { kind: 'Node' },
      reportingComponent: 'graceful-scaler',
    });
    const { eventTime: _dropped, ...withoutTime } = body;
    expect(failure(() => cluster.create(EVENTS, { ...withoutTime, metadata: { name: 'drain.2' } }, 'default'))).toMatchObject({
      code: 422,
      message: expect.stringContaining('eventTime: Required value'),
    });
  });

  it('expires Events after an hour, as the API server does', () => {
    const cluster = stateCluster();
    cluster.create(CORE_EVENTS, coreEvent(undefined), 'default');
    cluster.advance(HOUR - SECOND);
    expect(cluster.list(CORE_EVENTS, { namespace: 'default' }).items).toHaveLength(1);
    cluster.advance(SECOND);
    expect(cluster.list(CORE_EVENTS, { namespace: 'default' }).items).toHaveLength(0);
  });
});

describe('scale subresource', () => {
  it('reads a Deployment as autoscaling/v1 Scale with its selector', () => {
    const cluster = smallCluster(2);
    const deployment = cluster.addDeployment({ name: 'bg', namespace: 'clomo', replicas: 2 });
    expect(cluster.getScale({ namespace: 'clomo', name: 'bg' })).toEqual({
      apiVersion: 'autoscaling/v1',
      kind: 'Scale',
      metadata: {
        name: 'bg',
        namespace: 'clomo',
        uid: deployment.metadata.uid,
        resourceVersion: deployment.metadata.resourceVersion,
        creationTimestamp: deployment.metadata.creationTimestamp,
      },
      spec: { replicas: 2 },
      status: { replicas: 2, selector: 'app=bg' },
    });
  });

  it('sets replicas by replace or patch, refusing a stale resourceVersion (409) and a negative count (422)', () => {
    const cluster = smallCluster(2);
    cluster.addDeployment({ name: 'bg', namespace: 'clomo', replicas: 2 });
    const scaleRef = { namespace: 'clomo', name: 'bg' };
    const first = cluster.getScale(scaleRef);
    cluster.replaceScale(scaleRef, { ...first, spec: { replicas: 4 } });
    expect(failure(() => cluster.replaceScale(scaleRef, { ...first, spec: { replicas: 5 } })).code).toBe(409);
    expect(failure(() => cluster.replaceScale(scaleRef, { spec: { replicas: -1 } }))).toMatchObject({
      code: 422,
      message: expect.stringContaining('spec.replicas'),
    });
    expect(cluster.patchScale(scaleRef, [{ op: 'replace', path: '/spec/replicas', value: 6 }], 'json').spec.replicas).toBe(6);
    cluster.advance(10 * SECOND);
    expect(livePods(cluster, 'clomo', 'bg')).toHaveLength(6);
  });

  it('answers 404 for a Deployment that does not exist', () => {
    expect(failure(() => smallCluster(1).getScale({ namespace: 'clomo', name: 'nope' }))).toMatchObject({
      code: 404,
      message: 'deployments.apps "nope" not found',
    });
  });
});
