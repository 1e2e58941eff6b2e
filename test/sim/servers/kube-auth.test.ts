// The simulated API server's authentication and authorization, through the real client-node: a token
// it does not know is 401, no token is system:anonymous (discovery refused, /version allowed), a
// request RBAC does not allow is the 403 Status kube-apiserver writes, and the self-reviews answer in JSON.

import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scalerRbac, SIM_SCALER_PRINCIPAL_ID } from '../../../sim/model/rbac-manifests';
import { ADMIN_TOKEN, clusterAuth, SCALER_TOKEN } from '../../../sim/servers/kube-auth';
import { startKubeApiServer, type KubeApiServer } from '../../../sim/servers/kube-api-server';
import { smallCluster } from '../../builders/sim-cluster';

let server: KubeApiServer;
beforeAll(async () => {
  server = await startKubeApiServer(smallCluster(2, { namespaces: ['clomo', 'graceful-scaler'] }), {
    auth: clusterAuth(scalerRbac(), SIM_SCALER_PRINCIPAL_ID),
  });
});
afterAll(() => server.close());

const send = async (method: string, path: string, token: string | undefined, body?: unknown) => {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
};

const review = (resourceAttributes: Record<string, string>) => ({
  apiVersion: 'authorization.k8s.io/v1',
  kind: 'SelfSubjectAccessReview',
  spec: { resourceAttributes },
});

describe('authentication', () => {
  it('answers 401 Unauthorized to a token it does not know', async () => {
    expect(await send('GET', '/api/v1/nodes', 'stolen')).toEqual({
      status: 401,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Unauthorized',
        reason: 'Unauthorized',
        code: 401,
      },
    });
  });

  it('takes no token as system:anonymous: /version yes, discovery and lists no', async () => {
    expect((await send('GET', '/version', undefined)).status).toBe(200);
    expect((await send('GET', '/api', undefined)).body.message).toBe('forbidden: User "system:anonymous" cannot get path "/api"');
    expect((await send('GET', '/api/v1/nodes', undefined)).status).toBe(403);
  });
});

describe('authorization', () => {
  it("holds the scaler's token to rbac.yaml: lists nodes, may not read one alone", async () => {
    expect((await send('GET', '/api/v1/nodes', SCALER_TOKEN)).status).toBe(200);
    expect(await send('GET', '/api/v1/nodes/aks-user-27531488-vmss000000', SCALER_TOKEN)).toMatchObject({
      status: 403,
      body: {
        reason: 'Forbidden',
        message: `nodes "aks-user-27531488-vmss000000" is forbidden: User "${SIM_SCALER_PRINCIPAL_ID}" cannot get resource "nodes" in API group "" at the cluster scope`,
        details: { name: 'aks-user-27531488-vmss000000', kind: 'nodes' },
      },
    });
    expect((await send('GET', '/api/v1/nodes/aks-user-27531488-vmss000000', ADMIN_TOKEN)).status).toBe(200);
  });

  it('refuses the real client-node with an ApiException carrying the 403', async () => {
    const kc = new k8s.KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'sim', server: server.url, skipTLSVerify: true }],
      users: [{ name: 'scaler', token: SCALER_TOKEN }],
      contexts: [{ name: 'sim', cluster: 'sim', user: 'scaler' }],
      currentContext: 'sim',
    });
    const core = kc.makeApiClient(k8s.CoreV1Api);
    await expect(core.deleteNamespacedPod({ name: 'x', namespace: 'clomo' })).rejects.toMatchObject({ code: 403 });
    expect((await core.listNode()).items.length).toBeGreaterThan(0);
  });

  it('answers a SelfSubjectAccessReview, saying which binding allows', async () => {
    const yes = await send(
      'POST',
      '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      SCALER_TOKEN,
      review({ verb: 'create', resource: 'pods', subresource: 'eviction', namespace: 'clomo' }),
    );
    expect(yes).toMatchObject({
      status: 201,
      body: {
        kind: 'SelfSubjectAccessReview',
        status: {
          allowed: true,
          reason: `RBAC: allowed by ClusterRoleBinding "graceful-scaler" of ClusterRole "graceful-scaler" to User "${SIM_SCALER_PRINCIPAL_ID}"`,
        },
      },
    });
    const no = await send(
      'POST',
      '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      SCALER_TOKEN,
      review({ verb: 'update', resource: 'configmaps', namespace: 'clomo' }),
    );
    expect(no.body.status).toEqual({ allowed: false });
  });

  it('answers a SelfSubjectRulesReview with the rules in a namespace', async () => {
    const rules = await send('POST', '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', SCALER_TOKEN, {
      kind: 'SelfSubjectRulesReview',
      apiVersion: 'authorization.k8s.io/v1',
      spec: { namespace: 'graceful-scaler' },
    });
    expect(rules.status).toBe(201);
    expect(rules.body.status.resourceRules).toContainEqual({
      verbs: ['get', 'create', 'update'],
      apiGroups: ['coordination.k8s.io'],
      resources: ['leases'],
    });
    expect(rules.body.status.incomplete).toBe(false);
  });
});
