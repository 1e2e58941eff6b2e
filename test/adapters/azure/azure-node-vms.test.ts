// The Azure adapter through the REAL SDK clients (@azure/arm-compute, @azure/arm-containerservice)
// against the ARM test endpoint: real URLs, serialisation, retry policy, and long-running operations
// sent and left to run (the next tick observes their effect).

import { afterEach, describe, expect, it } from 'vitest';
import type { TokenCredential } from '@azure/identity';
import {
  createAzureNodeVms,
  POOL_STATES_TTL_MS,
  type AzureNodeVms,
  type AzureNodeVmsSettings,
} from '../../../adapters/azure/azure-node-vms';
import { VmRefusal } from '../../../runner/ports';
import type { NodeView } from '../../../core/views';
import { startArmServer, type ArmServer, type ArmServerOptions, type RecordedArmRequest } from '../../../sim/servers/arm-server';
import {
  ARM_CLUSTER,
  ARM_RESOURCE_GROUP,
  buildCompute,
  scaleSetName,
  vmNode,
  type PoolSpec,
  type TestCompute,
} from '../../builders/compute';
import { buildNode } from '../../builders/views';
import { hangingServer } from '../../support/hanging-server';

const USER_SET = scaleSetName('user');

let server: ArmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface World {
  compute: TestCompute;
  server: ArmServer;
  vms: AzureNodeVms;
  scopes: string[];
}

async function world(
  pools: PoolSpec[],
  options: { server?: ArmServerOptions; adapter?: Partial<AzureNodeVmsSettings> } = {},
): Promise<World> {
  const compute = buildCompute(...pools);
  server = await startArmServer(compute, { operationPolls: 2, ...options.server });
  const scopes: string[] = [];
  const credential: TokenCredential = {
    getToken: async (scope) => {
      scopes.push(...(Array.isArray(scope) ? scope : [scope]));
      return { token: 'fake-token', expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
  const vms = createAzureNodeVms({
    subscriptionId: compute.subscription,
    resourceGroup: ARM_RESOURCE_GROUP,
    clusterName: ARM_CLUSTER,
    credential,
    endpoint: server.url,
    ...options.adapter,
  });
  return { compute, server, vms, scopes };
}

/** `POST …/virtualMachines/2/deallocate`, `GET …/agentPools/user`: what was asked, tersely. */
function calls(requests: readonly RecordedArmRequest[]): string[] {
  return requests.map((r) => `${r.method} ${r.path.replace(/^\/subscriptions\/[^/]+\/(resourceGroups\/[^/]+\/)?providers\/[^/]+\//, '')}`);
}

function posts(requests: readonly RecordedArmRequest[]): RecordedArmRequest[] {
  return requests.filter((r) => r.method === 'POST' || r.method === 'PUT');
}

async function refusal(promise: Promise<unknown>): Promise<VmRefusal> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(VmRefusal);
  return error as VmRefusal;
}

const DEALLOCATE_POOL: PoolSpec = { name: 'user', vms: ['running', 'running', 'deallocated'], scaleDownMode: 'Deallocate' };

describe('start and deallocate one instance', () => {
  it('starts a deallocated VM through the per-instance call and returns once ARM accepted it, without polling', async () => {
    const { compute, server, vms, scopes } = await world([DEALLOCATE_POOL]);
    await vms.start(vmNode(compute, 'user', '2'));

    expect(compute.vm(USER_SET, '2')?.powerState).toBe('running');
    // No poll of the operation: it runs on in Azure while the tick goes on; the next tick sees the VM.
    expect(calls(server.requests)).toEqual([
      `GET managedClusters/${ARM_CLUSTER}`,
      `POST virtualMachineScaleSets/${USER_SET}/virtualMachines/2/start`,
    ]);
    expect(server.operations().map((op) => op.status)).toEqual(['InProgress']);
    // The start went to the cluster's node resource group as ARM spells it, with a bearer token for ARM.
    const start = posts(server.requests)[0];
    expect(start?.path).toContain(`/resourceGroups/${compute.nodeResourceGroup}/`);
    expect(start?.headers.authorization).toBe('Bearer fake-token');
    expect(start?.query['api-version']).toMatch(/^\d{4}-\d{2}-\d{2}/);
    expect(new Set(scopes)).toEqual(new Set(['https://management.azure.com/.default']));
  });

  it('deallocates a VM in a Deallocate-mode pool after checking the pool', async () => {
    const { compute, server, vms } = await world([DEALLOCATE_POOL]);
    await vms.deallocate(vmNode(compute, 'user', '1'));

    expect(compute.vm(USER_SET, '1')?.powerState).toBe('deallocated');
    expect(compute.calls).toEqual([`deallocate ${USER_SET}/1`]);
    expect(calls(server.requests).slice(0, 3)).toEqual([
      `GET managedClusters/${ARM_CLUSTER}`,
      `GET managedClusters/${ARM_CLUSTER}/agentPools/user`,
      `POST virtualMachineScaleSets/${USER_SET}/virtualMachines/1/deallocate`,
    ]);
  });

  it('is idempotent: deallocating a deallocated VM, starting a running one, succeed', async () => {
    const { compute, vms } = await world([DEALLOCATE_POOL]);
    await vms.deallocate(vmNode(compute, 'user', '2'));
    await vms.start(vmNode(compute, 'user', '0'));
    expect(compute.vm(USER_SET, '2')?.powerState).toBe('deallocated');
    expect(compute.vm(USER_SET, '0')?.powerState).toBe('running');
  });

  it('never makes a scale-set-wide call: every action names one instance', async () => {
    const { compute, server, vms } = await world([
      DEALLOCATE_POOL,
      { name: 'batch', vms: ['running', 'deallocated'], scaleDownMode: 'Deallocate' },
    ]);
    await vms.deallocate(vmNode(compute, 'user', '0'));
    await vms.start(vmNode(compute, 'user', '2'));
    await vms.deallocate(vmNode(compute, 'batch', '0'));
    await vms.start(vmNode(compute, 'batch', '1'));

    const actions = posts(server.requests);
    expect(actions).toHaveLength(4);
    for (const action of actions) {
      expect(action.path).toMatch(/\/virtualMachineScaleSets\/[^/]+\/virtualMachines\/\d+\/(start|deallocate)$/);
      expect(action.path).not.toMatch(/\/virtualMachineScaleSets\/[^/]+\/(start|deallocate|powerOff|deleteInstances)$/);
      expect(action.body).toBeUndefined();
    }
    // Only the VMs named were touched.
    expect(compute.calls).toEqual([
      `deallocate ${USER_SET}/0`,
      `start ${USER_SET}/2`,
      `deallocate ${scaleSetName('batch')}/0`,
      `start ${scaleSetName('batch')}/1`,
    ]);
    expect(compute.vm(USER_SET, '1')?.powerState).toBe('running');
  });

  it('reuses cluster and pool lookups within the TTL and reads them again after it', async () => {
    let now = 1_000_000;
    const { compute, server, vms } = await world([DEALLOCATE_POOL], { adapter: { cacheTtlMs: 30_000, now: () => now } });
    const lookups = () => server.requests.filter((r) => r.method === 'GET' && /managedClusters/.test(r.path)).length;

    await vms.deallocate(vmNode(compute, 'user', '0'));
    await vms.deallocate(vmNode(compute, 'user', '1'));
    server.settleOperations(); // the deallocations end in Azure before the VM is started again
    await vms.start(vmNode(compute, 'user', '0'));
    expect(lookups()).toBe(2);

    now += 30_000;
    await vms.start(vmNode(compute, 'user', '1'));
    expect(lookups()).toBe(3);
  });
});

describe('refusals before any action', () => {
  it('refuses to deallocate in a Delete-mode pool, naming the pool and the fix', async () => {
    const { compute, server, vms } = await world([{ name: 'user', vms: ['running', 'running'], scaleDownMode: 'Delete' }]);
    const error = await refusal(vms.deallocate(vmNode(compute, 'user', '1')));

    expect(error.code).toBe('pool-not-deallocate-mode');
    expect(error.message).toContain("agent pool 'user' has scaleDownMode Delete");
    expect(error.message).toContain(
      `az aks nodepool update --resource-group ${ARM_RESOURCE_GROUP} --cluster-name ${ARM_CLUSTER} --name user --scale-down-mode Deallocate`,
    );
    expect(posts(server.requests)).toEqual([]);
    expect(compute.vm(USER_SET, '1')?.powerState).toBe('running');
  });

  it('still starts VMs in a Delete-mode pool (only deallocation needs Deallocate mode)', async () => {
    const { compute, vms } = await world([{ name: 'user', vms: ['running', 'deallocated'], scaleDownMode: 'Delete' }]);
    await vms.start(vmNode(compute, 'user', '1'));
    expect(compute.vm(USER_SET, '1')?.powerState).toBe('running');
  });

  const foreign: Array<[string, (node: NodeView) => NodeView, RegExp]> = [
    ['no VM behind the node', (n) => ({ ...n, vm: undefined }), /has no scale-set VM/],
    [
      'a VM in another subscription',
      (n) => ({ ...n, vm: n.vm && { ...n.vm, subscription: '11111111-2222-3333-4444-555555555555' } }),
      /subscription/,
    ],
    [
      'a VM outside the node resource group',
      (n) => ({ ...n, vm: n.vm && { ...n.vm, resourceGroup: 'mc_other_cluster_japaneast' } }),
      /not cluster clomo-prod's node resource group/,
    ],
  ];
  it.each(foreign)('refuses with no-vm: %s', async (_name, mutate, message) => {
    const { compute, server, vms } = await world([DEALLOCATE_POOL]);
    for (const act of [vms.start.bind(vms), vms.deallocate.bind(vms)]) {
      const error = await refusal(act(mutate(vmNode(compute, 'user', '2'))));
      expect(error.code).toBe('no-vm');
      expect(error.message).toMatch(message);
    }
    expect(posts(server.requests)).toEqual([]);
  });

  it('refuses a node whose pool cannot be told (no label, scale set not named by AKS)', async () => {
    const { compute, vms } = await world([DEALLOCATE_POOL]);
    const node = vmNode(compute, 'user', '1');
    const error = await refusal(vms.deallocate({ ...node, pool: undefined, vm: node.vm && { ...node.vm, scaleSet: 'custom-vmss' } }));
    expect(error.code).toBe('pool-not-deallocate-mode');
  });

  it('finds the pool from the AKS scale-set name when the node has no pool label', async () => {
    const { compute, vms } = await world([DEALLOCATE_POOL]);
    await vms.deallocate({ ...vmNode(compute, 'user', '1'), pool: undefined });
    expect(compute.vm(USER_SET, '1')?.powerState).toBe('deallocated');
  });
});

describe('a VM that is gone (404)', () => {
  // Decision: a VmRefusal('no-vm'), not an error. AKS deleted the VM (scale-in, repair, upgrade); the
  // runner records a skip and the next snapshot no longer shows the node.
  it.each(['start', 'deallocate'] as const)('%s of a deleted VM is refused with no-vm and ARM’s message', async (action) => {
    const { compute, vms } = await world([DEALLOCATE_POOL]);
    const node = vmNode(compute, 'user', '1');
    compute.removeVm(USER_SET, '1');
    const error = await refusal(vms[action](node));
    expect(error.code).toBe('no-vm');
    expect(error.message).toContain('404 ResourceNotFound');
    expect(error.message).toContain(`virtualMachines/1`);
  });

  it('an unknown cluster is a configuration error and propagates', async () => {
    const { compute, vms } = await world([DEALLOCATE_POOL], { adapter: { clusterName: 'no-such-cluster' } });
    const error = await vms.start(vmNode(compute, 'user', '2')).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(VmRefusal);
    expect(error).toMatchObject({ statusCode: 404, code: 'ResourceNotFound' });
  });
});

describe('addNodes', () => {
  it('reads the pool and raises its count by n, returning once ARM accepted the update', async () => {
    const { compute, server, vms } = await world([{ name: 'user', vms: ['running', 'running', 'running'] }]);
    await vms.addNodes('user', 2);

    expect(compute.pool('user')?.count).toBe(5);
    expect(compute.scaleSetVms(USER_SET)).toHaveLength(5);
    const put = posts(server.requests);
    expect(put).toHaveLength(1);
    expect(put[0]?.method).toBe('PUT');
    expect(put[0]?.path).toMatch(/\/managedClusters\/clomo-prod\/agentPools\/user$/);
    expect(put[0]?.body).toMatchObject({ properties: { count: 5, vmSize: 'Standard_D4s_v5', mode: 'User' } });
    // If-Match with the eTag read: a concurrent change is refused instead of overwritten.
    expect(put[0]?.headers['if-match']).toMatch(/^[0-9a-f]{8}$/);
    // Not followed to its end: the pool reports Updating until the operation ends in Azure.
    expect(calls(server.requests).at(-1)).toBe(`PUT managedClusters/${ARM_CLUSTER}/agentPools/user`);
    expect(server.operations().map((op) => op.status)).toEqual(['InProgress']);
  });

  it('refuses a pool with the cluster autoscaler enabled, saying why and how', async () => {
    const { compute, server, vms } = await world([{ name: 'user', vms: ['running'], enableAutoScaling: true }]);
    const error = await refusal(vms.addNodes('user', 1));
    expect(error.code).toBe('failed');
    expect(error.message).toContain("agent pool 'user' has the cluster autoscaler enabled");
    expect(error.message).toContain('--disable-cluster-autoscaler');
    expect(posts(server.requests)).toEqual([]);
    expect(compute.pool('user')?.count).toBe(1);
  });

  it('refuses a pool that is being updated, without a PUT', async () => {
    const { server, vms } = await world([{ name: 'user', vms: ['running'], provisioningState: 'Updating' }]);
    const error = await refusal(vms.addNodes('user', 1));
    expect(error).toMatchObject({ code: 'failed', message: expect.stringContaining("agent pool 'user' is Updating") });
    expect(posts(server.requests)).toEqual([]);
  });

  it.each([
    [409, 'OperationNotAllowed', 'Operation is not allowed because there is an in progress operation.'],
    [412, 'PreconditionFailed', 'The eTag does not match.'],
  ])('turns %i %s from ARM into a failed refusal', async (status, code, message) => {
    const { compute, server, vms } = await world([{ name: 'user', vms: ['running'] }]);
    server.injectFault({ kind: 'error', match: { method: 'PUT' }, status, code, message });
    const error = await refusal(vms.addNodes('user', 1));
    expect(error.code).toBe('failed');
    expect(error.message).toContain(`${status} ${code}: ${message}`);
    expect(compute.pool('user')?.count).toBe(1);
  });

  it('refuses an unknown pool', async () => {
    const { vms } = await world([{ name: 'user', vms: ['running'] }]);
    const error = await refusal(vms.addNodes('gpu', 1));
    expect(error.code).toBe('failed');
    expect(error.message).toContain("agent pool 'gpu' was not found");
  });

  it('rejects a count that is not a positive integer', async () => {
    const { vms } = await world([{ name: 'user', vms: ['running'] }]);
    await expect(vms.addNodes('user', 0)).rejects.toThrow(RangeError);
    await expect(vms.addNodes('user', 1.5)).rejects.toThrow(RangeError);
  });
});

describe('failed and unfinished operations', () => {
  // An operation ARM accepted and that fails later in Azure changes nothing: the adapter returned once
  // it was accepted, and the next tick sees the VM (or the pool) as it still is, and plans again.
  it('a deallocation accepted, then failed in Azure: no error now, the VM still runs for the next tick to see', async () => {
    const { compute, vms, server } = await world([DEALLOCATE_POOL]);
    server.injectFault({
      kind: 'fail-operation',
      match: { path: '/deallocate' },
      code: 'OperationPreempted',
      message: 'Operation execution has been preempted by a more recent operation.',
    });
    await vms.deallocate(vmNode(compute, 'user', '0'));
    server.settleOperations();
    expect(server.operations().map((op) => op.status)).toEqual(['Failed']);
    expect(compute.vm(USER_SET, '0')?.powerState).toBe('running');
    expect(await vms.state(vmNode(compute, 'user', '0'))).toEqual({ power: 'running', busy: false });
  });

  it('a pool update accepted, then failed: the count is unchanged and the pool reports Failed', async () => {
    const { compute, vms, server } = await world([{ name: 'user', vms: ['running', 'running'] }]);
    server.injectFault({
      kind: 'fail-operation',
      match: { method: 'PUT' },
      code: 'QuotaExceeded',
      message: 'Operation could not be completed as it results in exceeding approved standardDSv5Family Cores quota.',
    });
    await vms.addNodes('user', 3);
    server.settleOperations();
    expect(compute.pool('user')?.count).toBe(2);
    expect(server.operations().map((op) => op.status)).toEqual(['Failed']);
  });

  it('refuses as failed, within its time limit, when ARM never answers', async () => {
    const hung = await hangingServer();
    try {
      const compute = buildCompute(DEALLOCATE_POOL);
      const vms = createAzureNodeVms({
        subscriptionId: compute.subscription,
        resourceGroup: ARM_RESOURCE_GROUP,
        clusterName: ARM_CLUSTER,
        credential: { getToken: async () => ({ token: 't', expiresOnTimestamp: Date.now() + 3_600_000 }) },
        endpoint: hung.url,
        operationTimeoutMs: 300,
        maxRetries: 0,
      });
      const started = Date.now();
      const error = await refusal(vms.start(vmNode(compute, 'user', '2')));
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(error.code).toBe('failed');
      expect(error.message).toContain('no answer within 300 ms');
      expect(error.message).toContain('may still have been accepted');
      expect(hung.requests()).toBeGreaterThan(0);
    } finally {
      await hung.close();
    }
  });

  it('a request ARM rejects for another reason propagates as the SDK error', async () => {
    const { compute, vms, server } = await world([DEALLOCATE_POOL]);
    server.injectFault({ kind: 'error', match: { path: '/start' }, status: 400, code: 'InvalidParameter', message: 'Bad instance.' });
    const error = await vms.start(vmNode(compute, 'user', '2')).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(VmRefusal);
    expect(error).toMatchObject({ statusCode: 400, code: 'InvalidParameter' });
  });

  it('a second operation on a VM whose first still runs is refused (ARM 409), not queued', async () => {
    const { compute, vms } = await world([DEALLOCATE_POOL]);
    await vms.deallocate(vmNode(compute, 'user', '0'));
    const error = await refusal(vms.start(vmNode(compute, 'user', '0')));
    expect(error.code).toBe('failed');
    expect(error.message).toContain('409');
  });
});

describe('the VM state read before a start', () => {
  it('reads the power state and any operation in progress from the instance view', async () => {
    const { compute, vms, server } = await world([DEALLOCATE_POOL]);
    expect(await vms.state(vmNode(compute, 'user', '2'))).toEqual({ power: 'deallocated', busy: false });
    await vms.start(vmNode(compute, 'user', '2'));
    expect(await vms.state(vmNode(compute, 'user', '2'))).toEqual({ power: 'running', busy: true });
    server.settleOperations();
    expect(await vms.state(vmNode(compute, 'user', '2'))).toEqual({ power: 'running', busy: false });
    expect(calls(server.requests).filter((c) => c.endsWith('/instanceView'))).toHaveLength(3);
  });

  it('a VM that is gone is refused with no-vm', async () => {
    const { compute, vms } = await world([DEALLOCATE_POOL]);
    const node = vmNode(compute, 'user', '1');
    compute.removeVm(USER_SET, '1');
    expect((await refusal(vms.state(node))).code).toBe('no-vm');
  });
});

describe('throttling (429 + Retry-After)', () => {
  it('waits out Retry-After (whole seconds, as ARM sends it) and retries: the SDK retry policy does it', async () => {
    const { compute, vms, server } = await world([DEALLOCATE_POOL]);
    server.injectFault({ kind: 'throttle', match: { path: '/deallocate' }, retryAfterSeconds: 1 });
    await vms.deallocate(vmNode(compute, 'user', '0'));

    const attempts = server.requests.filter((r) => r.path.endsWith('/deallocate'));
    expect(attempts.map((r) => r.status)).toEqual([429, 202]);
    const [first, second] = attempts;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect(compute.vm(USER_SET, '0')?.powerState).toBe('deallocated');
  });

  it('also retries a throttled state read', async () => {
    const { compute, vms, server } = await world([DEALLOCATE_POOL]);
    server.injectFault({ kind: 'throttle', match: { path: '/instanceView' }, retryAfterSeconds: 0.05, times: 2 });
    expect(await vms.state(vmNode(compute, 'user', '2'))).toEqual({ power: 'deallocated', busy: false });
    expect(server.requests.filter((r) => r.status === 429)).toHaveLength(2);
  });

  it('refuses as throttled without sleeping when Retry-After exceeds the wait limit', async () => {
    const { compute, vms, server } = await world([DEALLOCATE_POOL], { adapter: { maxThrottleWaitMs: 200 } });
    server.injectFault({ kind: 'throttle', match: { path: '/start' }, retryAfterSeconds: 30 });
    const started = Date.now();
    const error = await refusal(vms.start(vmNode(compute, 'user', '2')));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error.code).toBe('throttled');
    expect(error.message).toContain('retry after 30 s');
    expect(server.requests.filter((r) => r.path.endsWith('/start'))).toHaveLength(1);
    expect(compute.vm(USER_SET, '2')?.powerState).toBe('deallocated');
  });

  it('refuses as throttled when a lookup asks for too long a wait', async () => {
    const { compute, vms, server } = await world([DEALLOCATE_POOL], { adapter: { maxThrottleWaitMs: 200 } });
    server.injectFault({ kind: 'throttle', match: { path: `/managedClusters/${ARM_CLUSTER}` }, retryAfterSeconds: 30 });
    const error = await refusal(vms.start(vmNode(compute, 'user', '2')));
    expect(error.code).toBe('throttled');
    expect(error.message).toMatch(/^start the VM of node aks-user-27531488-vmss000002: ARM throttled the request/);
  });

  it('caps the total wait across retries of one request', async () => {
    const { compute, vms, server } = await world([DEALLOCATE_POOL], { adapter: { maxThrottleWaitMs: 250, maxRetries: 10 } });
    server.injectFault({ kind: 'throttle', match: { path: '/start' }, retryAfterSeconds: 0.1, times: 100 });
    const error = await refusal(vms.start(vmNode(compute, 'user', '2')));
    expect(error.code).toBe('throttled');
    // 0.1 s + 0.1 s fit in 250 ms; the third 429 would take it to 300 ms.
    expect(server.requests.filter((r) => r.path.endsWith('/start'))).toHaveLength(3);
  });

  it('refuses as throttled when ARM still throttles after the SDK’s retries', async () => {
    const { compute, vms, server } = await world([DEALLOCATE_POOL], { adapter: { maxRetries: 2 } });
    server.injectFault({ kind: 'throttle', match: { path: '/agentPools/' }, retryAfterSeconds: 0.01, times: 100 });
    const error = await refusal(vms.deallocate(vmNode(compute, 'user', '0')));
    expect(error.code).toBe('throttled');
    expect(error.message).toContain('429 TooManyRequests');
    expect(server.requests.filter((r) => r.path.endsWith('/agentPools/user'))).toHaveLength(3);
    expect(posts(server.requests)).toEqual([]);
  });

  it('honours a server-wide request-rate limit', async () => {
    const { compute, vms, server } = await world([DEALLOCATE_POOL], {
      // Two per window: the deallocation's third request (lookups, then the POST) is throttled.
      server: { throttle: { maxRequests: 2, windowMs: 200, retryAfterSeconds: 0.25 } },
    });
    await vms.deallocate(vmNode(compute, 'user', '0'));
    expect(server.requests.some((r) => r.status === 429)).toBe(true);
    expect(compute.vm(USER_SET, '0')?.powerState).toBe('deallocated');
  });
});

it('a plain node view without ARM fields is refused, not sent', async () => {
  const { server, vms } = await world([DEALLOCATE_POOL]);
  const error = await refusal(vms.deallocate(buildNode('virtual-node-aci', (n) => (n.vm = undefined))));
  expect(error.code).toBe('no-vm');
  expect(server.requests).toEqual([]);
});

describe('hands off while AKS works on the pool', () => {
  it('lists every agent pool with its provisioningState, read afresh after a few seconds', async () => {
    let now = 0;
    const { compute, vms, server } = await world([DEALLOCATE_POOL, { name: 'system', mode: 'System' }], { adapter: { now: () => now } });
    expect(await vms.poolStates()).toEqual([
      { name: 'user', provisioningState: 'Succeeded' },
      { name: 'system', provisioningState: 'Succeeded' },
    ]);
    compute.setAgentPoolOperation('user', 'Upgrading');
    // The plan, the run and the status page of one moment share one list call.
    expect((await vms.poolStates())[0]?.provisioningState).toBe('Succeeded');
    now += POOL_STATES_TTL_MS;
    expect(await vms.poolStates()).toEqual([
      { name: 'user', provisioningState: 'Upgrading' },
      { name: 'system', provisioningState: 'Succeeded' },
    ]);
    expect(calls(server.requests)).toEqual([
      `GET managedClusters/${ARM_CLUSTER}/agentPools`,
      `GET managedClusters/${ARM_CLUSTER}/agentPools`,
    ]);
  });

  it.each(['Upgrading', 'Failed', 'Canceled', 'Starting'] as const)(
    'neither grows nor deallocates in a pool that is %s (a PUT would resume a stopped upgrade)',
    async (state) => {
      const { compute, vms, server } = await world([DEALLOCATE_POOL]);
      compute.setAgentPoolOperation('user', state);
      expect((await refusal(vms.addNodes('user', 1))).message).toContain(`agent pool 'user' is ${state}`);
      expect((await refusal(vms.deallocate(vmNode(compute, 'user', '0')))).message).toContain(`agent pool 'user' is ${state}`);
      expect(posts(server.requests)).toEqual([]);
    },
  );
});
