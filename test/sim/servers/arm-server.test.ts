// The ARM test endpoint: ARM's semantics for the calls the Azure adapter makes, checked with raw HTTP
// (exact status codes, headers and error bodies) and with the real SDK clients (that what it serves
// deserialises, pages and polls as the SDK expects).

import { afterEach, describe, expect, it } from 'vitest';
import { ComputeManagementClient } from '@azure/arm-compute';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import type { TokenCredential } from '@azure/identity';
import { plainHttpPolicy } from '../../../adapters/azure/arm-policies';
import { startArmServer, type ArmServer, type ArmServerOptions } from '../../../sim/servers/arm-server';
import {
  ARM_CLUSTER,
  ARM_NODE_RESOURCE_GROUP,
  ARM_RESOURCE_GROUP,
  buildCompute,
  scaleSetName,
  type PoolSpec,
  type TestCompute,
} from '../../builders/compute';

const API = 'api-version=2026-04-01';
const USER_SET = scaleSetName('user');

let server: ArmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const POOLS: PoolSpec[] = [
  { name: 'system', mode: 'System', vms: ['running'] },
  { name: 'user', vms: ['running', 'running', 'deallocated'], scaleDownMode: 'Deallocate' },
  { name: 'batch', vms: ['running'] },
];

async function serve(options: ArmServerOptions = {}, pools: PoolSpec[] = POOLS): Promise<{ compute: TestCompute; server: ArmServer }> {
  const compute = buildCompute(...pools);
  server = await startArmServer(compute, options);
  return { compute, server };
}

function clusterPath(compute: TestCompute): string {
  return `/subscriptions/${compute.subscription}/resourceGroups/${ARM_RESOURCE_GROUP}/providers/Microsoft.ContainerService/managedClusters/${ARM_CLUSTER}`;
}

function setPath(compute: TestCompute, scaleSet = USER_SET): string {
  return `/subscriptions/${compute.subscription}/resourceGroups/${ARM_NODE_RESOURCE_GROUP}/providers/Microsoft.Compute/virtualMachineScaleSets/${scaleSet}`;
}

interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

async function call(
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string>; auth?: boolean } = {},
): Promise<Answer> {
  const url = path.startsWith('http') ? path : `${server?.url}${path}`;
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.auth === false ? {} : { authorization: 'Bearer test' }),
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...init.headers,
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

const credential: TokenCredential = { getToken: async () => ({ token: 'fake', expiresOnTimestamp: Date.now() + 3_600_000 }) };

function sdkClients(url: string): { compute: ComputeManagementClient; aks: ContainerServiceClient } {
  const options = { endpoint: url.replace(/^http:/, 'https:'), additionalPolicies: [plainHttpPolicy(url)] };
  return {
    compute: new ComputeManagementClient(credential, buildCompute().subscription, options),
    aks: new ContainerServiceClient(credential, buildCompute().subscription, options),
  };
}

describe('request validation, as ARM', () => {
  it('requires a bearer token (401 AuthenticationFailed)', async () => {
    const { compute } = await serve();
    const variants: Array<Record<string, string>> = [{}, { authorization: 'Basic dXNlcjpwYXNz' }, { authorization: 'Bearer ' }];
    for (const headers of variants) {
      const answer = await call(`${clusterPath(compute)}?${API}`, { auth: false, headers });
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({ error: { code: 'AuthenticationFailed', message: expect.stringContaining('Authorization') } });
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer /);
    }
  });

  it('requires an api-version, but accepts any', async () => {
    const { compute } = await serve();
    const missing = await call(clusterPath(compute));
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({
      error: {
        code: 'MissingApiVersionParameter',
        message: 'The api-version query parameter (?api-version=) is required for all requests.',
      },
    });
    for (const version of ['2026-03-01', '2026-04-01', '2024-07-01']) {
      expect((await call(`${clusterPath(compute)}?api-version=${version}`)).status).toBe(200);
    }
  });

  it('records method, path, query, headers and body of every request', async () => {
    const { compute, server } = await serve();
    await call(`${clusterPath(compute)}/agentPools/user?${API}`, { method: 'PUT', body: { properties: { count: 4 } } });
    expect(server.requests).toEqual([
      expect.objectContaining({
        method: 'PUT',
        path: `${clusterPath(compute)}/agentPools/user`,
        query: { 'api-version': '2026-04-01' },
        body: { properties: { count: 4 } },
        status: 200,
        headers: expect.objectContaining({ authorization: 'Bearer test' }),
      }),
    ]);
  });

  const notFound: Array<[string, (c: TestCompute) => string, string, RegExp]> = [
    [
      'an unknown subscription',
      (c) => clusterPath(c).replace(c.subscription, '99999999-0000-0000-0000-000000000000'),
      'SubscriptionNotFound',
      /subscription '9{8}-/,
    ],
    [
      'an unknown resource group',
      (c) => clusterPath(c).replace(ARM_RESOURCE_GROUP, 'other-rg'),
      'ResourceGroupNotFound',
      /Resource group 'other-rg' could not be found/,
    ],
    [
      'an unknown cluster',
      (c) => clusterPath(c).replace(/clomo-prod$/, 'nope'),
      'ResourceNotFound',
      /managedClusters\/nope' under resource group 'clomo-rg' was not found/,
    ],
    ['an unknown agent pool', (c) => `${clusterPath(c)}/agentPools/gpu`, 'NotFound', /Agent pool 'gpu' was not found/],
    ['an unknown scale set', (c) => setPath(c, 'aks-gpu-1-vmss'), 'ResourceNotFound', /virtualMachineScaleSets\/aks-gpu-1-vmss' under/],
    ['an unknown VM', (c) => `${setPath(c)}/virtualMachines/42`, 'ResourceNotFound', /virtualMachines\/42' under/],
    [
      'an unknown VM (instance view)',
      (c) => `${setPath(c)}/virtualMachines/42/instanceView`,
      'ResourceNotFound',
      /virtualMachines\/42' under/,
    ],
  ];
  it.each(notFound)('answers 404 with ARM’s error body for %s', async (_name, path, code, message) => {
    const { compute } = await serve();
    const answer = await call(`${path(compute)}?${API}`);
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({ error: { code, message: expect.stringMatching(message) } });
  });

  it('treats names case-insensitively, as ARM (providerIDs carry the node resource group in lower case)', async () => {
    const { compute } = await serve();
    const path = setPath(compute)
      .replace(ARM_NODE_RESOURCE_GROUP, ARM_NODE_RESOURCE_GROUP.toLowerCase())
      .replace('Microsoft.Compute', 'microsoft.compute');
    const answer = await call(`${path}/virtualMachines/2?${API}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ instanceId: '2', name: `${USER_SET}_2` });
  });
});

describe('managed cluster and agent pools', () => {
  it('serves the cluster with its node resource group, pools, power and provisioning state (through the SDK)', async () => {
    const { server } = await serve();
    const cluster = await sdkClients(server.url).aks.managedClusters.get(ARM_RESOURCE_GROUP, ARM_CLUSTER);
    expect(cluster).toMatchObject({
      name: ARM_CLUSTER,
      location: 'japaneast',
      nodeResourceGroup: ARM_NODE_RESOURCE_GROUP,
      provisioningState: 'Succeeded',
      powerState: { code: 'Running' },
    });
    expect(cluster.agentPoolProfiles?.map((p) => [p.name, p.count, p.mode, p.scaleDownMode])).toEqual([
      ['system', 1, 'System', 'Delete'],
      ['user', 3, 'User', 'Deallocate'],
      ['batch', 1, 'User', 'Delete'],
    ]);
  });

  it('lists agent pools page by page with nextLink, which the SDK follows', async () => {
    const { server } = await serve({ pageSize: 2 });
    const names: string[] = [];
    for await (const pool of sdkClients(server.url).aks.agentPools.list(ARM_RESOURCE_GROUP, ARM_CLUSTER)) names.push(pool.name ?? '');
    expect(names).toEqual(['system', 'user', 'batch']);
    const pages = server.requests.filter((r) => r.path.endsWith('/agentPools'));
    expect(pages.map((r) => r.query.$skiptoken)).toEqual([undefined, '2']);
    // The nextLink kept the api-version, and was handed out as https because the rewrite policy said
    // X-Forwarded-Proto: https (the SDK would refuse to send its token to an http nextLink).
    expect(pages[1]?.query['api-version']).toBe(pages[0]?.query['api-version']);
    expect(pages[1]?.headers['x-forwarded-proto']).toBe('https');
  });

  it('serves an agent pool with its settings and eTag', async () => {
    const { server } = await serve();
    const pool = await sdkClients(server.url).aks.agentPools.get(ARM_RESOURCE_GROUP, ARM_CLUSTER, 'user');
    expect(pool).toMatchObject({
      name: 'user',
      count: 3,
      scaleDownMode: 'Deallocate',
      enableAutoScaling: false,
      provisioningState: 'Succeeded',
      powerState: { code: 'Running' },
      eTag: expect.stringMatching(/^[0-9a-f]{8}$/),
    });
  });

  it('changes a pool’s count as a long-running operation: Updating, then Succeeded', async () => {
    const { compute } = await serve({ operationPolls: 1 });
    const path = `${clusterPath(compute)}/agentPools/user`;
    const put = await call(`${path}?${API}`, { method: 'PUT', body: { properties: { count: 5 } } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ name: 'user', properties: { count: 5, provisioningState: 'Updating' } });
    const status = put.headers.get('azure-asyncoperation') ?? '';
    expect(status).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/subscriptions\/.+\/providers\/Microsoft\.ContainerService\/locations\/japaneast\/operations\/[-0-9a-f]+\?api-version=2026-04-01$/,
    );
    expect(compute.calls).toEqual(['count user 5']);

    expect((await call(`${clusterPath(compute)}?${API}`)).body).toMatchObject({ properties: { provisioningState: 'Updating' } });
    expect((await call(status)).body).toMatchObject({ status: 'InProgress' });
    expect((await call(`${path}?${API}`)).body).toMatchObject({ properties: { provisioningState: 'Updating' } });
    expect((await call(status)).body).toMatchObject({ status: 'Succeeded', endTime: expect.any(String) });
    expect((await call(`${path}?${API}`)).body).toMatchObject({ properties: { count: 5, provisioningState: 'Succeeded' } });
  });

  it('answers 409 OperationNotAllowed to a change while the pool is Updating', async () => {
    const { compute } = await serve({ operationPolls: 5 });
    const path = `${clusterPath(compute)}/agentPools/user?${API}`;
    expect((await call(path, { method: 'PUT', body: { properties: { count: 4 } } })).status).toBe(200);
    const second = await call(path, { method: 'PUT', body: { properties: { count: 6 } } });
    expect(second.status).toBe(409);
    expect(second.body).toEqual({ error: { code: 'OperationNotAllowed', message: expect.stringContaining("agent pool 'user'") } });
    expect(compute.pool('user')?.count).toBe(4);
  });

  it('answers 412 PreconditionFailed when If-Match is not the current eTag', async () => {
    const { compute } = await serve();
    const path = `${clusterPath(compute)}/agentPools/user?${API}`;
    const read = (await call(path)).body as { properties: { eTag: string } };
    server?.settleOperations();
    const stale = await call(path, { method: 'PUT', body: { properties: { count: 4 } }, headers: { 'if-match': 'deadbeef' } });
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ error: { code: 'PreconditionFailed' } });
    const fresh = await call(path, {
      method: 'PUT',
      body: { properties: { count: 4 } },
      headers: { 'if-match': `"${read.properties.eTag}"` },
    });
    expect(fresh.status).toBe(200);
  });

  it.each([[-1], [1.5], ['3'], [1001]])('answers 400 InvalidParameter to count %j', async (count) => {
    const { compute } = await serve();
    const answer = await call(`${clusterPath(compute)}/agentPools/user?${API}`, { method: 'PUT', body: { properties: { count } } });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: { code: 'InvalidParameter' } });
    expect(compute.calls).toEqual([]);
  });

  it('answers 400 to a body that is not JSON', async () => {
    const { compute } = await serve();
    const response = await fetch(`${server?.url}${clusterPath(compute)}/agentPools/user?${API}`, {
      method: 'PUT',
      headers: { authorization: 'Bearer x', 'content-type': 'application/json' },
      body: '{count:',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'InvalidRequestContent' } });
  });
});

describe('scale-set VMs', () => {
  it('lists VMs with their instance view, page by page (through the SDK)', async () => {
    const { server } = await serve({ pageSize: 2 });
    const seen: Array<[string | undefined, string | undefined, string | undefined]> = [];
    for await (const vm of sdkClients(server.url).compute.virtualMachineScaleSetVMs.list(ARM_NODE_RESOURCE_GROUP, USER_SET, {
      expand: 'instanceView',
    })) {
      const power = vm.instanceView?.statuses?.find((s) => s.code?.startsWith('PowerState/'))?.code;
      seen.push([vm.instanceId, vm.osProfile?.computerName, power]);
    }
    expect(seen).toEqual([
      ['0', 'aks-user-27531488-vmss000000', 'PowerState/running'],
      ['1', 'aks-user-27531488-vmss000001', 'PowerState/running'],
      ['2', 'aks-user-27531488-vmss000002', 'PowerState/deallocated'],
    ]);
    const pages = server.requests.filter((r) => r.path.endsWith('/virtualMachines'));
    expect(pages.map((r) => [r.query.$expand, r.query.$skiptoken])).toEqual([
      ['instanceView', undefined],
      ['instanceView', '2'],
    ]);
  });

  it('leaves the instance view out of a list without $expand', async () => {
    const { compute } = await serve();
    const answer = await call(`${setPath(compute)}/virtualMachines?${API}`);
    expect((answer.body as { value: Array<{ properties: Record<string, unknown> }> }).value[0]?.properties.instanceView).toBeUndefined();
  });

  it('serves one VM and its instance view (through the SDK)', async () => {
    const { server } = await serve();
    const { compute } = sdkClients(server.url);
    const vm = await compute.virtualMachineScaleSetVMs.get(ARM_NODE_RESOURCE_GROUP, USER_SET, '2');
    expect(vm).toMatchObject({
      instanceId: '2',
      provisioningState: 'Succeeded',
      osProfile: { computerName: 'aks-user-27531488-vmss000002' },
    });
    const view = await compute.virtualMachineScaleSetVMs.getInstanceView(ARM_NODE_RESOURCE_GROUP, USER_SET, '2');
    expect(view.statuses?.map((s) => s.code)).toEqual(['ProvisioningState/succeeded', 'PowerState/deallocated']);
  });

  it('deallocates one VM: 202 + Azure-AsyncOperation + Location, InProgress until done, then 200 on Location', async () => {
    const { compute } = await serve({ operationPolls: 2 });
    const post = await call(`${setPath(compute)}/virtualMachines/1/deallocate?${API}`, { method: 'POST' });
    expect(post.status).toBe(202);
    expect(post.body).toBeUndefined();
    const status = post.headers.get('azure-asyncoperation') ?? '';
    const location = post.headers.get('location') ?? '';
    expect(status).toMatch(/\/providers\/Microsoft\.Compute\/locations\/japaneast\/operations\/[-0-9a-f]+\?api-version=2026-04-01$/);
    expect(location).toMatch(/\/operations\/[-0-9a-f]+\?monitor=true&api-version=2026-04-01$/);
    expect(compute.calls).toEqual([`deallocate ${USER_SET}/1`]);

    const vmPath = `${setPath(compute)}/virtualMachines/1?$expand=instanceView&${API}`;
    expect((await call(vmPath)).body).toMatchObject({ properties: { provisioningState: 'Updating' } });
    expect(await call(status)).toMatchObject({ status: 200, body: { status: 'InProgress' } });
    expect(await call(location)).toMatchObject({ status: 202 });
    expect(await call(status)).toMatchObject({ status: 200, body: { status: 'Succeeded' } });
    expect(await call(location)).toMatchObject({ status: 200, body: undefined });
    expect((await call(vmPath)).body).toMatchObject({
      properties: {
        provisioningState: 'Succeeded',
        instanceView: { statuses: [{ code: 'ProvisioningState/succeeded' }, { code: 'PowerState/deallocated' }] },
      },
    });
  });

  it('answers 409 Conflict to a second action on a VM while one runs', async () => {
    const { compute } = await serve({ operationPolls: 5 });
    expect((await call(`${setPath(compute)}/virtualMachines/1/deallocate?${API}`, { method: 'POST' })).status).toBe(202);
    const second = await call(`${setPath(compute)}/virtualMachines/1/start?${API}`, { method: 'POST' });
    expect(second.status).toBe(409);
    expect(second.body).toEqual({ error: { code: 'Conflict', message: expect.stringContaining("operation 'deallocate'") } });
    server?.settleOperations();
    expect((await call(`${setPath(compute)}/virtualMachines/1/start?${API}`, { method: 'POST' })).status).toBe(202);
  });

  it('reports a failed operation: status Failed with the error, Location answers the error, nothing changed', async () => {
    const { compute, server } = await serve({ operationPolls: 0 });
    server.injectFault({
      kind: 'fail-operation',
      match: { path: '/virtualMachines/2/start' },
      code: 'AllocationFailed',
      message: 'Allocation failed.',
    });
    const post = await call(`${setPath(compute)}/virtualMachines/2/start?${API}`, { method: 'POST' });
    expect(post.status).toBe(202);
    const status = await call(post.headers.get('azure-asyncoperation') ?? '');
    expect(status.body).toMatchObject({ status: 'Failed', error: { code: 'AllocationFailed', message: 'Allocation failed.' } });
    expect(await call(post.headers.get('location') ?? '')).toEqual(
      expect.objectContaining({ status: 409, body: { error: { code: 'AllocationFailed', message: 'Allocation failed.' } } }),
    );
    expect(compute.calls).toEqual([]);
    expect(compute.vm(USER_SET, '2')?.powerState).toBe('deallocated');
  });

  it('a scale-set-wide deallocate with an empty instance list deallocates EVERY instance (why the adapter never makes one)', async () => {
    const { compute } = await serve();
    expect((await call(`${setPath(compute)}/deallocate?${API}`, { method: 'POST', body: { instanceIds: [] } })).status).toBe(202);
    expect(compute.scaleSetVms(USER_SET)?.map((vm) => vm.powerState)).toEqual(['deallocated', 'deallocated', 'deallocated']);
  });

  it('a scale-set-wide deallocate with instance ids touches only those', async () => {
    const { compute } = await serve();
    await call(`${setPath(compute)}/deallocate?${API}`, { method: 'POST', body: { instanceIds: ['0'] } });
    expect(compute.scaleSetVms(USER_SET)?.map((vm) => vm.powerState)).toEqual(['deallocated', 'running', 'deallocated']);
  });
});

describe('faults and throttling', () => {
  it('answers 429 TooManyRequests with Retry-After when a throttle is injected, as many times as asked', async () => {
    const { compute, server } = await serve();
    server.injectFault({ kind: 'throttle', match: { method: 'GET', path: '/managedClusters/' }, retryAfterSeconds: 17, times: 2 });
    const path = `${clusterPath(compute)}?${API}`;
    for (let i = 0; i < 2; i++) {
      const answer = await call(path);
      expect(answer.status).toBe(429);
      expect(answer.headers.get('retry-after')).toBe('17');
      expect(answer.body).toEqual({ error: { code: 'TooManyRequests', message: expect.stringContaining('17 seconds') } });
    }
    expect((await call(path)).status).toBe(200);
  });

  it('answers an injected ARM error only to matching requests', async () => {
    const { compute, server } = await serve();
    server.injectFault({
      kind: 'error',
      match: { method: 'POST', path: /\/start$/ },
      status: 503,
      code: 'ServiceUnavailable',
      message: 'Try later.',
    });
    expect((await call(`${setPath(compute)}/virtualMachines/0?${API}`)).status).toBe(200);
    const answer = await call(`${setPath(compute)}/virtualMachines/2/start?${API}`, { method: 'POST' });
    expect(answer).toMatchObject({ status: 503, body: { error: { code: 'ServiceUnavailable', message: 'Try later.' } } });
    server.clearFaults();
  });

  it('limits the request rate when a throttle is configured', async () => {
    const { compute } = await serve({ throttle: { maxRequests: 2, windowMs: 60_000, retryAfterSeconds: 60 } });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(`${clusterPath(compute)}?${API}`)).status);
    expect(statuses).toEqual([200, 200, 429]);
  });

  it('answers an unknown route with an ARM 404', async () => {
    await serve();
    const answer = await call(`/providers/Microsoft.Compute/operations?${API}`);
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ error: { code: 'NotFound' } });
  });
});
