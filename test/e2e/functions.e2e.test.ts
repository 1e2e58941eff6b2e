// End to end through the Function handlers: the simulated AKS cluster behind real HTTP endpoints,
// reached by the real Kubernetes, ARM and storage-queue clients; Azurite for the queues.

import { afterEach, describe, expect, it } from 'vitest';
import { DRAINING_SINCE } from '../../core/annotations';
import { nodeScalerTick } from '../../functions/timer-tick';
import { overridesHttp } from '../../functions/overrides-http';
import { planHttp } from '../../functions/plan-http';
import { statusHttp } from '../../functions/status-http';
import { dashboardDataHttp, dashboardPageHttp } from '../../functions/dashboard-http';
import type { DashboardData } from '../../page/model';
import { HttpRequest, InvocationContext } from '@azure/functions';
import { workerScalerTick } from '../../functions/timer-tick';
import { runTick } from '../../runner/run-tick';
import { buildPolicy, buildPolicyDocument } from '../builders/views';
import { findResource } from '../../sim/model/resources';
import { clomo, NIGHT, POLICY, userNodes, workloads } from './clomo-cluster';
import { startWorld, STATE_NAMESPACE, type World } from './world';

const NODES = findResource('', 'v1', 'nodes')!;
const CONFIGMAPS = findResource('', 'v1', 'configmaps')!;

const MINUTE = 60_000;
/** Tuesday 07:25 in Tokyo: five minutes before the weekday window raises the minimum to 5. */
const DAWN = '2026-11-30T22:25:00Z';

const isStopped = (n: { spec?: { taints?: readonly { key: string }[] } }) =>
  (n.spec?.taints ?? []).some((t) => t.key === 'node.cloudprovider.kubernetes.io/shutdown');

/** Node scaler ticks every minute of simulated time, as its timer would. */
async function nodeTicks(world: World, minutes: number): Promise<void> {
  for (let i = 0; i < minutes; i++) {
    await world.timer(nodeScalerTick);
    world.cluster.advance(MINUTE);
  }
}

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('the node scaler, end to end', () => {
  it('scales down at night: cordon, evict, wait out a long job, deallocate through ARM — and never the batch node', async () => {
    world = await startWorld({ cluster: clomo(NIGHT), policy: POLICY, setup: (c) => workloads(c, { bgWorkMs: 3 * 60 * MINUTE }) });
    const { cluster, arm } = world;
    await nodeTicks(world, 5 * 60);

    const user = userNodes(cluster);
    const stopped = user.filter(isStopped);
    // 2 running nodes wanted at night: the batch node (protected) and one user node.
    expect(stopped).toHaveLength(3);
    const batch = cluster.nodes().find((n) => n.metadata.labels?.['clomo/BatchDeployable'] === 'true')!;
    expect(batch.spec?.unschedulable ?? false).toBe(false);
    expect(cluster.interruptions).toEqual([]);
    // Every deallocation was one instance at a time, never a scale-set-wide call.
    const posts = arm.requests.filter((r) => r.method === 'POST').map((r) => r.path);
    expect(posts.length).toBeGreaterThanOrEqual(3);
    for (const path of posts) expect(path).toMatch(/\/virtualMachineScaleSets\/aks-user-\d+-vmss\/virtualMachines\/\d+\/deallocate$/);
    // The cordons were merge patches carrying why, as kubectl describe shows.
    const cordons = world.kube.requests.filter((r) => r.method === 'PATCH' && r.path.startsWith('/api/v1/nodes/'));
    expect(cordons.every((r) => r.contentType === 'application/merge-patch+json')).toBe(true);
    expect(cordons.some((r) => r.body.includes(DRAINING_SINCE))).toBe(true);
    // Five simulated hours are 300 node ticks, each a full read, plan and re-checked act over HTTP.
  }, 120_000);

  it('starts the stopped VMs in the morning and uncordons them once Ready', async () => {
    world = await startWorld({
      cluster: clomo(DAWN),
      policy: POLICY,
      setup: (c) => {
        workloads(c);
        for (const node of userNodes(c).slice(2)) {
          // As the night left them: cordoned, then deallocated.
          c.patch(NODES, { name: node.metadata.name }, { spec: { unschedulable: true } }, 'merge');
          const [, scaleSet, instance] = /virtualMachineScaleSets\/([^/]+)\/virtualMachines\/(\d+)$/.exec(node.spec!.providerID!)!;
          c.deallocateVm(scaleSet!, instance!);
        }
        c.advance(2 * MINUTE);
      },
    });
    const { cluster } = world;
    expect(userNodes(cluster).filter(isStopped)).toHaveLength(2);
    await nodeTicks(world, 4); // 07:27-07:30: the minimum is still 2
    expect(userNodes(cluster).filter(isStopped)).toHaveLength(2);
    await nodeTicks(world, 6); // the window opens at 07:30; VMs start in about 90 s
    const user = userNodes(cluster);
    expect(user.filter(isStopped)).toEqual([]);
    expect(user.filter((n) => n.spec?.unschedulable)).toEqual([]);
  });

  it('gives a draining node back when demand rises, before starting any VM', async () => {
    world = await startWorld({ cluster: clomo(NIGHT), policy: POLICY, setup: (c) => workloads(c) });
    const { cluster } = world;
    // Tick until the scale-down delay has passed and one node is cordoned for draining.
    let draining: ReturnType<typeof userNodes> = [];
    for (let i = 0; i < 15 && draining.length === 0; i++) {
      await nodeTicks(world, 1);
      draining = userNodes(cluster).filter((n) => n.spec?.unschedulable && n.metadata.annotations?.[DRAINING_SINCE]);
    }
    expect(draining).toHaveLength(1);
    const name = draining[0]!.metadata.name;
    expect(isStopped(cluster.node(name)!)).toBe(false);
    // The morning rush arrives before the drained node is stopped.
    cluster.replaceScale({ namespace: 'clomo', name: 'mdm' }, { spec: { replicas: 100 } });
    cluster.advance(0);
    world.arm.requests.length = 0;
    await world.timer(nodeScalerTick);
    const node = cluster.node(name)!;
    expect(node.spec?.unschedulable ?? false).toBe(false);
    expect(node.metadata.annotations?.[DRAINING_SINCE]).toBeUndefined();
    expect(world.logs.some((l) => l.includes(`uncordon ${name}: `) && l.includes('cancelling this drain is cheaper than any VM'))).toBe(
      true,
    );
    expect(world.arm.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/deallocate'))).toEqual([]);
  });

  it('records a PodDisruptionBudget refusal as a normal outcome and retries next tick', async () => {
    world = await startWorld({
      cluster: clomo(NIGHT),
      policy: POLICY,
      setup: (c) => {
        // MDM pods on every user node, so whichever node is drained holds some: its evictions are tried.
        workloads(c, { mdm: 12 });
        c.addPdb({ name: 'mdm', namespace: 'clomo', maxUnavailable: 1 });
      },
    });
    const { cluster } = world;
    for (const node of userNodes(cluster))
      expect(
        cluster.podsOnNode(node.metadata.name).some((p) => p.metadata.labels?.app === 'mdm'),
        node.metadata.name,
      ).toBe(true);
    // Between the plan and the first eviction, another MDM pod goes unready: the budget, which allowed
    // one disruption when the snapshot was read, allows none when the eviction reaches the API.
    const actions = world.runtime.deps.actions;
    const evict = actions.evict.bind(actions);
    let unready: { namespace: string; name: string } | undefined;
    actions.evict = async (namespace, pod) => {
      if (unready === undefined) {
        const node = cluster.pod(namespace, pod)?.spec.nodeName;
        const other = [...cluster.pods()].find(
          (p) => p.metadata.labels?.app === 'mdm' && p.spec.nodeName !== node && p.status.phase === 'Running',
        )!;
        unready = { namespace: 'clomo', name: other.metadata.name };
        cluster.setPodReady(unready, false);
      }
      return evict(namespace, pod);
    };
    for (let i = 0; i < 15 && unready === undefined; i++) await nodeTicks(world, 1);
    expect(unready).toBeDefined();
    const evictions = () => world!.kube.requests.filter((r) => r.path.endsWith('/eviction'));
    // An eviction was attempted and the budget refused it (429); a normal outcome, not an error.
    expect(evictions().map((r) => r.status)).toEqual([429]);
    expect(world.logs.some((l) => l.includes('refused: a PodDisruptionBudget refused the eviction (429)'))).toBe(true);
    expect(world.logs.some((l) => l.startsWith('ERROR'))).toBe(false);
    // Once the pod is Ready again, the next tick evicts.
    cluster.setPodReady(unready!, true);
    await nodeTicks(world, 1);
    expect(evictions().map((r) => r.status)).toEqual([429, 201]);
  });

  it('refuses to deallocate a VM of a pool in Delete mode, saying how to fix it', async () => {
    world = await startWorld({
      cluster: clomo(NIGHT, {
        pools: [
          { name: 'system', mode: 'System', count: 1, taints: ['CriticalAddonsOnly=true:NoSchedule'] },
          { name: 'user', count: 3, scaleDownMode: 'Delete' },
        ],
      }),
      policy: buildPolicyDocument((p) => (p.nodes.minNodes = 1)),
      setup: (c) => c.addDeployment({ name: 'mdm', namespace: 'clomo', replicas: 2, cpu: '100m', memory: '128Mi' }),
    });
    await nodeTicks(world, 20);
    expect(userNodes(world.cluster).filter(isStopped)).toEqual([]);
    expect(world.arm.requests.filter((r) => r.method === 'POST')).toEqual([]);
    expect(world.logs.some((l) => l.includes('pool-not-deallocate-mode') && l.includes('--scale-down-mode Deallocate'))).toBe(true);
  });

  it('lets one of two concurrent runs act; the other backs off', async () => {
    world = await startWorld({ cluster: clomo(NIGHT), policy: POLICY, setup: (c) => workloads(c) });
    const second = await world.secondDeps('func-2');
    // Without waiting for the Lease: the loser backs off at once (see test/e2e/concurrency for the wait).
    const noWait = { leaseWaitMs: 0 };
    const results = await Promise.all([
      runTick({ ...world.runtime.deps, limits: noWait }, world.runtime.policy, 'nodes', { dryRun: false }),
      runTick({ ...second, limits: noWait }, world.runtime.policy, 'nodes', { dryRun: false }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['acted', 'not-leader']);
  });
});

describe('the worker scaler, end to end', () => {
  it('follows the real queue depth in Azurite, counting messages being worked on', async () => {
    world = await startWorld({ cluster: clomo('2026-11-30T01:00:00Z'), policy: POLICY, setup: (c) => workloads(c) });
    const suffix = Math.random().toString(36).slice(2, 8);
    const policy = buildPolicy((p) => {
      p.workers[0].queues = [`jobs-${suffix}`, `prio-${suffix}`];
      p.workers[0].schedule = [];
    });
    world.runtime.policy = policy;
    const jobs = world.queueService.getQueueClient(`jobs-${suffix}`);
    const prio = world.queueService.getQueueClient(`prio-${suffix}`);
    await Promise.all([jobs.create(), prio.create()]);
    for (let i = 0; i < 30; i++) await jobs.sendMessage(`job ${i}`);
    await prio.sendMessage('urgent');
    // A worker took 8 jobs: invisible, yet still counted.
    await jobs.receiveMessages({ numberOfMessages: 8, visibilityTimeout: 600 });
    await world.timer(workerScalerTick);
    expect(world.cluster.deployment('clomo', 'bg')?.spec?.replicas).toBe(8); // ceil(31 / 4)
  });
});

describe('the HTTP API, end to end', () => {
  it('takes an override over HTTP that the next tick honours, recording who and why', async () => {
    world = await startWorld({ cluster: clomo(NIGHT), policy: POLICY, setup: (c) => workloads(c) });
    const created = await world.http(overridesHttp, {
      method: 'POST',
      url: 'http://localhost/api/overrides',
      body: { scaler: 'nodes', mode: 'pin', count: 5, reason: 'incident 4711: keep capacity', for: '2h' },
      headers: { 'x-ms-client-principal-name': 'oncall@example.com' },
    });
    expect(created.status).toBe(201);
    expect(created.jsonBody).toMatchObject({ override: { id: 'ov-1', createdBy: 'oncall@example.com', mode: 'pin', count: 5 } });
    const plan = await world.http(planHttp, { method: 'POST', url: 'http://localhost/api/plan/nodes', params: { scaler: 'nodes' } });
    expect(plan.status).toBe(200);
    expect((plan.jsonBody as { summary: { nodes: { desired: number } } }).summary.nodes.desired).toBe(5);
    // 1 system + 4 user + 1 batch: 5 managed nodes run; nothing to drain even after the delay.
    await nodeTicks(world, 15);
    expect(userNodes(world.cluster).filter((n) => n.spec?.unschedulable)).toEqual([]);
  });

  it("records who set an override (the signed-in principal) and who removed it (the page's ?code= key) on the status page", async () => {
    world = await startWorld({ cluster: clomo(NIGHT), policy: POLICY, setup: (c) => workloads(c) });
    const principal = Buffer.from(
      JSON.stringify({ auth_typ: 'aad', name_typ: 'name', claims: [{ typ: 'preferred_username', val: 'akiko.sato@example.com' }] }),
    ).toString('base64');
    const created = await world.http(overridesHttp, {
      method: 'POST',
      url: 'http://localhost/api/overrides',
      body: { scaler: 'nodes', mode: 'pause', reason: 'AKS upgrade CHG-884', for: '2h' },
      headers: { 'x-ms-client-principal': principal, 'x-ms-client-principal-name': 'akiko.sato@example.com' },
    });
    expect(created.jsonBody).toMatchObject({ override: { createdBy: 'akiko.sato@example.com' } });
    const removed = await world.http(overridesHttp, {
      method: 'DELETE',
      url: 'http://localhost/api/overrides/ov-1?code=k3y',
      params: { id: 'ov-1' },
    });
    expect(removed.status).toBe(200);
    const answer = await world.http(dashboardDataHttp, { method: 'GET', url: 'http://localhost/api/dashboard/data' });
    const data = answer.jsonBody as DashboardData;
    expect(data.overrides).toEqual([]);
    expect(data.endedOverrides).toMatchObject([
      {
        override: { id: 'ov-1', createdBy: 'akiko.sato@example.com', reason: 'AKS upgrade CHG-884' },
        ended: 'removed',
        endedBy: 'function key (?code=)',
      },
    ]);
  });

  it('rejects a bad override body with every problem listed, changing nothing', async () => {
    world = await startWorld({ cluster: clomo(NIGHT), policy: POLICY, setup: (c) => workloads(c) });
    const before = world.cluster.list(CONFIGMAPS, { namespace: STATE_NAMESPACE }).items.length;
    const bad = await world.http(overridesHttp, {
      method: 'POST',
      url: 'http://localhost/api/overrides',
      body: { scaler: 'nodes', mode: 'pin', for: '90d' },
    });
    expect(bad.status).toBe(400);
    expect((bad.jsonBody as { problems: string[] }).problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('count: a pin needs a count'),
        expect.stringContaining('reason: required'),
        expect.stringContaining('at most 7d ahead'),
      ]),
    );
    const notJson = await world.http(overridesHttp, { method: 'POST', url: 'http://localhost/api/overrides', body: '{oops' });
    expect(notJson.status).toBe(400);
    expect(world.cluster.list(CONFIGMAPS, { namespace: STATE_NAMESPACE }).items.length).toBe(before);
  });

  it('serves the status page’s document from the live cluster and the history kept in the status ConfigMap', async () => {
    world = await startWorld({ cluster: clomo(NIGHT), policy: POLICY, setup: (c) => workloads(c) });
    await nodeTicks(world, 20);
    const answer = await world.http(dashboardDataHttp, { method: 'GET', url: 'http://localhost/api/dashboard/data' });
    expect(answer.status).toBe(200);
    const data = answer.jsonBody as DashboardData;
    expect(data.nodes.map((n) => n.name)).toEqual(expect.arrayContaining(userNodes(world.cluster).map((n) => n.metadata.name)));
    expect(data.nodes.find((n) => n.pool === 'batch')?.protectedBy).toBe('labelled clomo/BatchDeployable');
    // Every node tick left a sample; the drains it started are on the timeline with their reasons.
    expect(data.series.nodes).toHaveLength(20);
    expect(data.timeline.filter((e) => e.type === 'cordon').length).toBeGreaterThan(0);
    for (const e of data.timeline) expect(e.reason.length).toBeGreaterThan(10);
    const status = world.cluster
      .list(CONFIGMAPS, { namespace: STATE_NAMESPACE })
      .items.find((c) => c.metadata.name === 'graceful-scaler-status') as { data?: Record<string, string> } | undefined;
    expect(Object.keys(status?.data ?? {}).sort()).toEqual(['nodes.history.json', 'nodes.json']);

    const page = await dashboardPageHttp(
      new HttpRequest({ method: 'GET', url: 'http://localhost/api/dashboard' }),
      new InvocationContext(),
    );
    expect(page.headers).toMatchObject({ 'content-type': 'text/html; charset=utf-8' });
    expect(String(page.body)).toContain('dashboard/data');
  });

  it('prices the VMs of every pool on the page and in GET /api/status alike, from the history kept in the status ConfigMap', async () => {
    const policy = buildPolicyDocument((p) => {
      p.nodes.pools = ['user', 'batch'];
      p.nodes.cost = { currency: 'JPY', vmHour: { user: 42, batch: 84 }, deallocatedDiskHour: { user: 4.7, batch: 4.7 } };
    });
    world = await startWorld({ cluster: clomo(NIGHT), policy, setup: (c) => workloads(c) });
    await nodeTicks(world, 20);
    const data = (await world.http(dashboardDataHttp, { method: 'GET', url: 'http://localhost/api/dashboard/data' }))
      .jsonBody as DashboardData;
    const status = (await world.http(statusHttp, { method: 'GET', url: 'http://localhost/api/status' })).jsonBody as {
      cost: DashboardData['cost'];
    };
    expect(status.cost).toEqual(data.cost);
    if (!data.cost.priced) throw new Error('the policy has prices');
    // Six VMs: system 1 (no price: named, not counted), user 4, batch 1; the night's drains deallocate some.
    const vms = data.cost.pools.map((p) => [p.pool, p.billed + p.deallocated]);
    expect(vms).toEqual([
      ['batch', 1],
      ['system', 1],
      ['user', 4],
    ]);
    expect(data.cost.unpriced).toEqual(['system']);
    const user = data.cost.pools.find((p) => p.pool === 'user')!;
    expect(data.cost.now.perHour).toBeCloseTo(84 + user.billed * 42 + user.deallocated * 4.7, 2);
    // Every tick's sample, read back from the ConfigMap, carries the VMs: 20 one-minute samples, the
    // last one read a minute after it was taken.
    expect(data.cost.window).toMatchObject({ samples: 20, gapHours: 0 });
    expect(data.cost.window!.hours).toBeCloseTo(20 / 60, 2);
    expect(data.cost.saved!.amount).toBeGreaterThanOrEqual(0);
  });

  it('serves one status-page document to every open page for a while, and a new one once an override changes', async () => {
    world = await startWorld({ cluster: clomo(NIGHT), policy: POLICY, setup: (c) => workloads(c) });
    world.runtime.dashboardCacheMs = 60_000;
    const podLists = () => world!.kube.requests.filter((r) => r.method === 'GET' && /\/pods(\?|$)/.test(r.path)).length;
    const get = async () =>
      (await world!.http(dashboardDataHttp, { method: 'GET', url: 'http://localhost/api/dashboard/data' })).jsonBody as DashboardData;
    const first = await get();
    const lists = podLists();
    expect(lists).toBeGreaterThan(0);
    const [a, b] = await Promise.all([get(), get()]);
    expect(podLists()).toBe(lists);
    expect(a).toEqual(first);
    expect(b).toEqual(first);

    await world.http(overridesHttp, {
      method: 'POST',
      url: 'http://localhost/api/overrides',
      body: { scaler: 'workers', mode: 'pause', reason: 'release in progress', for: '1h' },
    });
    const after = await get();
    expect(podLists()).toBeGreaterThan(lists);
    expect(after.overrides.map((o) => o.reason)).toEqual(['release in progress']);
  });
});
