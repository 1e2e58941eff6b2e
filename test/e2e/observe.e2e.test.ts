// A first deployment observes: a whole simulated day through the Function handlers, against the
// simulated AKS cluster behind its Kubernetes API and ARM endpoints, with every scaler in observe
// mode. The decisions are all there (status, page, timeline) and nothing reaches the cluster or the
// VMs: no write to nodes, pods or Deployments, no ARM operation.

import { afterEach, describe, expect, it } from 'vitest';
import { dashboardDataHttp } from '../../functions/dashboard-http';
import { statusHttp } from '../../functions/status-http';
import { deschedulerTick, nodeScalerTick, workerScalerTick } from '../../functions/timer-tick';
import type { DashboardData } from '../../page/model';
import type { SimCluster } from '../../sim/model/cluster';
import { buildPolicyDocument } from '../builders/views';
import { startWorld, type World } from './world';

const MINUTE = 60_000;
/** Monday 30 November 2026, 22:00 in Tokyo: a night, a weekday morning and a day follow. */
const NIGHT = '2026-11-30T13:00:00Z';
const suffix = Math.random().toString(36).slice(2, 8);
const QUEUES = [`jobs-${suffix}`, `prio-${suffix}`];

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

function workloads(cluster: SimCluster): void {
  cluster.addDeployment({
    name: 'mdm',
    namespace: 'clomo',
    replicas: 6,
    cpu: '250m',
    memory: '512Mi',
    labels: { 'clomo/descheduling': 'enabled' },
  });
  cluster.addDeployment({ name: 'bg', namespace: 'clomo', replicas: 1, cpu: '250m', memory: '1Gi', grace: 72000 });
  cluster.settle();
}

/** What the Kubernetes API and ARM received that would change the cluster or the VMs. */
function writes(w: World): string[] {
  const kube = w.kube.requests
    .filter((r) => r.method !== 'GET' && /\/(nodes|pods|deployments)(\/|$)/.test(r.path))
    .map((r) => `kube ${r.method} ${r.path}`);
  const arm = w.arm.requests.filter((r) => r.method !== 'GET').map((r) => `arm ${r.method} ${r.path}`);
  return [...kube, ...arm];
}

describe('a first deployment, in observe mode', () => {
  it('plans and records a whole day, and writes nothing to nodes, pods, Deployments or VMs', async () => {
    const policy = buildPolicyDocument((p) => {
      p.modes = { nodes: 'observe', workers: 'observe', descheduler: 'observe' };
      p.nodes.pools = ['user', 'batch'];
      p.workers[0].queues = QUEUES;
    });
    world = await startWorld({
      cluster: {
        start: NIGHT,
        namespaces: ['clomo'],
        pools: [
          { name: 'system', mode: 'System', count: 1, taints: ['CriticalAddonsOnly=true:NoSchedule'] },
          { name: 'user', count: 4, scaleDownMode: 'Deallocate' },
          { name: 'batch', count: 1, scaleDownMode: 'Deallocate', labels: { 'clomo/BatchDeployable': 'true' } },
        ],
      },
      policy,
      setup: workloads,
    });
    const w = world;
    const [jobs] = await Promise.all(
      QUEUES.map(async (q) => {
        const client = w.queueService.getQueueClient(q);
        await client.create();
        return client;
      }),
    );
    const nodesBefore = JSON.stringify(w.cluster.nodes().map((n) => [n.metadata.name, n.spec?.unschedulable ?? false]));

    // 24 hours: node and worker ticks every 10 minutes, the descheduler every hour; a burst of jobs at 09:00.
    for (let minute = 0; minute < 24 * 60; minute += 10) {
      if (minute === 11 * 60) for (let i = 0; i < 30; i++) await jobs!.sendMessage(`job ${i}`);
      await w.timer(nodeScalerTick);
      await w.timer(workerScalerTick);
      if (minute % 60 === 0) await w.timer(deschedulerTick);
      w.cluster.advance(10 * MINUTE);
    }

    expect(writes(w)).toEqual([]);
    expect(JSON.stringify(w.cluster.nodes().map((n) => [n.metadata.name, n.spec?.unschedulable ?? false]))).toBe(nodesBefore);
    expect(w.cluster.deployment('clomo', 'bg')?.spec?.replicas).toBe(1);
    expect(w.logs.filter((l) => l.startsWith('ERROR'))).toEqual([]);

    // What would have been done is all recorded: the night's drains and evictions, the burst's workers.
    const page = await w.http(dashboardDataHttp, { method: 'GET', url: 'http://localhost/api/dashboard/data' });
    const data = page.jsonBody as DashboardData;
    expect(data.banners.map((b) => [b.scaler, b.mode])).toEqual([
      ['nodes', 'observe'],
      ['workers', 'observe'],
      ['descheduler', 'observe'],
    ]);
    expect(data.refused).toEqual([]);
    const observed = data.timeline.filter((e) => e.outcome === 'observed');
    expect(observed.length).toBe(data.timeline.length);
    const kinds = new Set(observed.map((e) => `${e.scaler} ${e.type}`));
    expect([...kinds]).toEqual(expect.arrayContaining(['nodes cordon', 'nodes evict', 'workers scale']));
    expect(observed.find((e) => e.type === 'cordon')?.detail).toBe('observe mode: recorded, not carried out');
    expect(data.series.nodes.length).toBeGreaterThan(100);
    expect(w.logs.some((l) => / would cordon aks-user-/.test(l))).toBe(true);

    const status = await w.http(statusHttp, { method: 'GET', url: 'http://localhost/api/status' });
    expect(status.jsonBody).toMatchObject({ modes: { nodes: 'observe', workers: 'observe', descheduler: 'observe' } });
    expect((status.jsonBody as { banners: string[] }).banners[0]).toMatch(
      /^nodes: observe mode — decisions are planned and recorded, nothing is done/,
    );
  }, 240_000);
});
