// What kubectl reads from the API server besides objects: Tables for the Table media type, dry runs
// wherever they can be asked for, the OpenAPI v3 documents, and a 415 that lists only what the
// server decodes.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SimCluster } from '../../../sim/model/cluster';
import { CONFIG_MAPS } from '../../../sim/model/resources';
import { startKubeApiServer, type KubeApiServer } from '../../../sim/servers/kube-api-server';
import { tableVersionOf } from '../../../sim/servers/kube-tables';
import { humanDuration } from '../../../sim/servers/table-printers';
import { smallCluster } from '../../builders/sim-cluster';

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

let cluster: SimCluster;
let server: KubeApiServer;
beforeEach(async () => {
  cluster = smallCluster(2, { namespaces: ['clomo'] });
  cluster.addDeployment({ name: 'web', namespace: 'clomo', replicas: 2 });
  cluster.addPdb({ name: 'web', namespace: 'clomo', maxUnavailable: 1 });
  server = await startKubeApiServer(cluster);
});
afterEach(async () => server.close());

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: await response.json() };
}

describe('tables', () => {
  it('negotiates the Table media type from Accept, and prefers objects when they come first', () => {
    expect(tableVersionOf(TABLE)).toBe('v1');
    expect(tableVersionOf('application/json;as=Table;v=v1beta1;g=meta.k8s.io')).toBe('v1beta1');
    expect(tableVersionOf('application/json, application/json;as=Table;v=v1;g=meta.k8s.io')).toBeUndefined();
    expect(tableVersionOf(undefined)).toBeUndefined();
  });

  it('prints ages as kubectl does', () => {
    expect(
      [5_000, 150_000, 720_000, 5 * 3_600_000 + 60_000, 30 * 3_600_000, 50 * 3_600_000, 400 * 86_400_000, 800 * 86_400_000].map(
        humanDuration,
      ),
    ).toEqual(['5s', '2m30s', '12m', '5h1m', '30h', '2d2h', '400d', '2y70d']);
  });

  it('lists as a Table with PartialObjectMetadata rows, or the whole object with includeObject=Object', async () => {
    const { status, body } = await call('GET', '/apis/policy/v1/namespaces/clomo/poddisruptionbudgets', undefined, { Accept: TABLE });
    expect(status).toBe(200);
    expect(body.columnDefinitions.map((c: { name: string }) => c.name)).toEqual([
      'Name',
      'Min Available',
      'Max Unavailable',
      'Allowed Disruptions',
      'Age',
    ]);
    expect(body.rows).toEqual([
      { cells: ['web', 'N/A', '1', 1, '0s'], object: expect.objectContaining({ kind: 'PartialObjectMetadata' }) },
    ]);
    const pod = [...cluster.pods()].find((p) => p.metadata.namespace === 'clomo')!;
    const single = await call('GET', `/api/v1/namespaces/clomo/pods/${pod.metadata.name}?includeObject=Object`, undefined, {
      Accept: TABLE,
    });
    expect(single.body.rows[0].object).toMatchObject({ kind: 'Pod', spec: { nodeName: pod.spec.nodeName } });
    expect(single.body.rows[0].cells.slice(1, 3)).toEqual(['1/1', 'Running']);
  });
});

describe('dry run', () => {
  it('dryRun=All creates, patches and deletes nothing, but answers what would have been', async () => {
    const before = cluster.resourceVersion();
    const created = await call('POST', '/api/v1/namespaces/clomo/configmaps?dryRun=All', { metadata: { name: 'draft' }, data: { a: '1' } });
    expect(created).toMatchObject({ status: 201, body: { metadata: { name: 'draft', namespace: 'clomo' }, data: { a: '1' } } });
    const patched = await call(
      'PATCH',
      '/apis/apps/v1/namespaces/clomo/deployments/web?dryRun=All',
      { spec: { replicas: 7 } },
      {
        'Content-Type': 'application/merge-patch+json',
      },
    );
    expect(patched.body.spec.replicas).toBe(7);
    const pod = [...cluster.pods()].find((p) => p.metadata.namespace === 'clomo')!;
    const deleted = await call('DELETE', `/api/v1/namespaces/clomo/pods/${pod.metadata.name}`, { dryRun: ['All'] });
    expect(deleted.body.metadata.deletionTimestamp).toBeDefined();
    expect(cluster.resourceVersion()).toBe(before);
    expect(cluster.deployment('clomo', 'web')?.spec.replicas).toBe(2);
    expect(cluster.pod('clomo', pod.metadata.name)?.metadata.deletionTimestamp).toBeUndefined();
  });

  it('an eviction dry run checks the budget but evicts nothing; the scale subresource and other values are refused', async () => {
    const pods = [...cluster.pods()].filter((p) => p.metadata.namespace === 'clomo');
    const evict = (name: string, body: object = {}) =>
      call('POST', `/api/v1/namespaces/clomo/pods/${name}/eviction`, {
        apiVersion: 'policy/v1',
        kind: 'Eviction',
        metadata: { name },
        ...body,
      });
    expect((await evict(pods[0]!.metadata.name, { deleteOptions: { dryRun: ['All'] } })).status).toBe(201);
    expect(cluster.pod('clomo', pods[0]!.metadata.name)?.metadata.deletionTimestamp).toBeUndefined();
    expect((await evict(pods[0]!.metadata.name)).status).toBe(201);
    expect((await evict(pods[1]!.metadata.name, { deleteOptions: { dryRun: ['All'] } })).status).toBe(429);
    const scale = await call(
      'PATCH',
      '/apis/apps/v1/namespaces/clomo/deployments/web/scale?dryRun=All',
      { spec: { replicas: 3 } },
      {
        'Content-Type': 'application/merge-patch+json',
      },
    );
    expect(scale.status).toBe(400);
    expect((await call('POST', '/api/v1/namespaces/clomo/configmaps?dryRun=Some', { metadata: { name: 'x' } })).status).toBe(400);
    expect(cluster.list(CONFIG_MAPS, { namespace: 'clomo' }).items).toEqual([]);
  });
});

describe('OpenAPI and media types', () => {
  it('serves OpenAPI v3 per group/version; every PATCH names its kind and takes fieldValidation', async () => {
    const root = await call('GET', '/openapi/v3');
    expect(Object.keys(root.body.paths)).toEqual(expect.arrayContaining(['api/v1', 'apis/apps/v1', 'apis/batch/v1', 'apis/policy/v1']));
    const apps = await call('GET', root.body.paths['apis/apps/v1'].serverRelativeURL);
    const patch = apps.body.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch;
    expect(patch['x-kubernetes-group-version-kind']).toEqual({ group: 'apps', version: 'v1', kind: 'Deployment' });
    expect(patch.parameters.map((p: { name: string }) => p.name)).toContain('fieldValidation');
    expect((await call('GET', '/openapi/v3/apis/nothing/v1')).status).toBe(404);
  });

  it('a body in another format is a 415 that lists JSON and protobuf, the two it decodes', async () => {
    const refused = await call('POST', '/api/v1/namespaces/clomo/configmaps', 'metadata: {name: x}', {
      'Content-Type': 'application/yaml',
    });
    expect(refused.status).toBe(415);
    expect(refused.body.message).toMatch(/accepted media types include: application\/json, application\/vnd.kubernetes.protobuf$/);
  });
});
