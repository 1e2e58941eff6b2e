// Truly concurrent runs against the embedded cluster over HTTP (the real client-node and ARM SDK,
// the production wiring, the Function handlers called at once): one writer at a time, and no stale
// destructive call, whatever the entry points — two node ticks, a node tick and run/all, the same
// instance twice, an override written during a tick, two instances. And the stale-stop race: a stop
// planned for a drained, empty node on which pods start before the deallocation is sent.

import { afterEach, describe, expect, it } from 'vitest';
import { DRAIN_REASON, DRAINING_SINCE } from '../../core/annotations';
import { overridesHttp } from '../../functions/overrides-http';
import { runHttp } from '../../functions/plan-http';
import { nodeScalerTick } from '../../functions/timer-tick';
import type { KubernetesActions, NodeVms } from '../../runner/ports';
import { runTick, type RunnerDeps } from '../../runner/run-tick';
import type { SimCluster } from '../../sim/model/cluster';
import { findResource } from '../../sim/model/resources';
import { buildPolicyDocument } from '../builders/views';
import { clomo, NIGHT, POLICY, userNodes, workloads } from './clomo-cluster';
import { startWorld, STATE_NAMESPACE, type World } from './world';

const NODES = findResource('', 'v1', 'nodes')!;
const EVENTS = findResource('', 'v1', 'events')!;
const MINUTE = 60_000;

/** Pods that die with their node's VM: not DaemonSet or mirror pods, not finished. */
function workloadPodsOn(cluster: SimCluster, node: string) {
  return cluster.podsOnNode(node).filter((p) => {
    if (p.status.phase === 'Succeeded' || p.status.phase === 'Failed') return false;
    if (p.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined) return false;
    return !(p.metadata.ownerReferences ?? []).some((o) => o.kind === 'DaemonSet');
  });
}

/**
 * Watches every runner on the cluster: who holds the Lease when, and every call that changes the
 * cluster. A call made while no runner, or more than one, holds the Lease is a second writer; a
 * deallocation of a node with workload pods, or a start of a VM already starting or running, is stale.
 */
class Watch {
  private readonly holders = new Set<string>();
  maxHolders = 0;
  readonly writes: { call: string; holders: number }[] = [];
  readonly stale: string[] = [];
  readonly starts = new Map<string, number>();

  constructor(private readonly cluster: SimCluster) {}

  /** Wraps the deps' Lease, actions and VMs in place (the Function handlers read them at call time). */
  instrument(deps: RunnerDeps): void {
    const lease = deps.lease;
    const acquire = lease.acquire.bind(lease);
    const release = lease.release.bind(lease);
    deps.lease = {
      acquire: async (name, holder, seconds) => {
        const got = await acquire(name, holder, seconds);
        if (got) {
          this.holders.add(holder);
          this.maxHolders = Math.max(this.maxHolders, this.holders.size);
        }
        return got;
      },
      release: async (name, holder) => {
        // Counted as released before the call: the next holder may take it as soon as it lands.
        this.holders.delete(holder);
        await release(name, holder);
      },
    };
    const actions = deps.actions;
    const wrapped: KubernetesActions = {
      cordon: (node, drain) => this.write(`cordon ${node}`, () => actions.cordon(node, drain)),
      uncordon: (node) => this.write(`uncordon ${node}`, () => actions.uncordon(node)),
      evict: (ns, pod) => this.write(`evict ${ns}/${pod}`, () => actions.evict(ns, pod)),
      scale: (ns, d, r) => this.write(`scale ${ns}/${d} ${r}`, () => actions.scale(ns, d, r)),
      setDeletionCost: (ns, p, c) => this.write(`cost ${ns}/${p}`, () => actions.setDeletionCost(ns, p, c)),
      markNode: (node, mark, set, at) => this.write(`mark ${node} ${mark}`, () => actions.markNode(node, mark, set, at)),
    };
    deps.actions = wrapped;
    const vms = deps.vms;
    const wrappedVms: NodeVms = {
      state: (node) => vms.state(node),
      poolStates: () => vms.poolStates(),
      addNodes: (pool, count) => this.write(`add ${pool} ${count}`, () => vms.addNodes(pool, count)),
      deallocate: (node) =>
        this.write(`deallocate ${node.name}`, () => {
          const pods = workloadPodsOn(this.cluster, node.name);
          if (pods.length > 0) this.stale.push(`deallocate ${node.name} with ${pods.length} workload pod(s)`);
          return vms.deallocate(node);
        }),
      start: (node) =>
        this.write(`start ${node.name}`, () => {
          const power = this.powerOf(node.name);
          if (power === 'starting' || power === 'running') this.stale.push(`start ${node.name} while ${power}`);
          this.starts.set(node.name, (this.starts.get(node.name) ?? 0) + 1);
          return vms.start(node);
        }),
    };
    deps.vms = wrappedVms;
  }

  private async write<T>(call: string, send: () => Promise<T>): Promise<T> {
    this.writes.push({ call, holders: this.holders.size });
    return send();
  }

  private powerOf(node: string): string | undefined {
    const providerId = this.cluster.node(node)?.spec?.providerID ?? '';
    const [, scaleSet, id] = /virtualMachineScaleSets\/([^/]+)\/virtualMachines\/(\d+)$/.exec(providerId) ?? [];
    return this.cluster.scaleSetVms(scaleSet ?? '')?.find((vm) => vm.instanceId === id)?.powerState;
  }

  /** One writer at every write, and nothing stale. */
  expectSafe(): void {
    expect(this.maxHolders).toBe(1);
    expect(this.writes.filter((w) => w.holders !== 1)).toEqual([]);
    expect(this.stale).toEqual([]);
    expect(this.cluster.interruptions).toEqual([]);
  }
}

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function nightWorld(setup?: (cluster: SimCluster) => void): Promise<{ world: World; watch: Watch }> {
  world = await startWorld({
    cluster: clomo(NIGHT),
    policy: POLICY,
    setup: (c) => {
      workloads(c);
      setup?.(c);
    },
  });
  const watch = new Watch(world.cluster);
  watch.instrument(world.runtime.deps);
  return { world, watch };
}

/** Rounds of concurrent runs, a simulated minute apart; the ARM operations end between rounds. */
async function rounds(w: World, count: number, round: () => Promise<unknown>[]): Promise<void> {
  for (let i = 0; i < count; i++) {
    await Promise.all(round());
    w.arm.settleOperations();
    w.cluster.advance(MINUTE);
  }
}

const runAll = (w: World) => w.http(runHttp, { method: 'POST', url: 'http://localhost/api/run/all', params: { scaler: 'all' } });

describe('one writer per cluster, whatever the entry points', () => {
  it('two node ticks at once', async () => {
    const { world: w, watch } = await nightWorld();
    await rounds(w, 20, () => [w.timer(nodeScalerTick), w.timer(nodeScalerTick)]);
    expect(watch.writes.some((x) => x.call.startsWith('cordon'))).toBe(true);
    expect(watch.writes.some((x) => x.call.startsWith('deallocate'))).toBe(true);
    watch.expectSafe();
  });

  it('a node tick and run/all', async () => {
    const { world: w, watch } = await nightWorld();
    await rounds(w, 20, () => [w.timer(nodeScalerTick), runAll(w)]);
    expect(watch.writes.some((x) => x.call.startsWith('deallocate'))).toBe(true);
    watch.expectSafe();
  });

  it('the same instance running twice (a past-due timer and a manual run)', async () => {
    const { world: w, watch } = await nightWorld();
    const { deps, policy } = w.runtime;
    await rounds(w, 20, () => [runTick(deps, policy, 'nodes', { dryRun: false }), runTick(deps, policy, 'nodes', { dryRun: false })]);
    expect(watch.writes.some((x) => x.call.startsWith('deallocate'))).toBe(true);
    watch.expectSafe();
  });

  it('two instances (two Function App instances, each with its own wiring)', async () => {
    const { world: w, watch } = await nightWorld();
    const second = await w.secondDeps('func-2');
    watch.instrument(second);
    const { deps, policy } = w.runtime;
    await rounds(w, 20, () => [runTick(deps, policy, 'all', { dryRun: false }), runTick(second, policy, 'nodes', { dryRun: false })]);
    expect(watch.writes.some((x) => x.call.startsWith('deallocate'))).toBe(true);
    watch.expectSafe();
  });

  it('without waiting for the Lease, the loser backs off and nothing runs twice', async () => {
    const { world: w, watch } = await nightWorld();
    const second = await w.secondDeps('func-2');
    watch.instrument(second);
    const noWait = { leaseWaitMs: 0 };
    const statuses: string[] = [];
    await rounds(w, 10, () => [
      runTick({ ...w.runtime.deps, limits: noWait }, w.runtime.policy, 'nodes', { dryRun: false }).then((r) => statuses.push(r.status)),
      runTick({ ...second, limits: noWait }, w.runtime.policy, 'all', { dryRun: false }).then((r) => statuses.push(r.status)),
    ]);
    expect(statuses.filter((s) => s === 'not-leader').length).toBeGreaterThan(0);
    watch.expectSafe();
  });

  it('overrides written during ticks: every override kept, every tick’s memory kept, no 500', async () => {
    const { world: w, watch } = await nightWorld();
    const answers: number[] = [];
    let n = 0;
    await rounds(w, 8, () => [
      w.timer(nodeScalerTick),
      runAll(w),
      w
        .http(overridesHttp, {
          method: 'POST',
          url: 'http://localhost/api/overrides',
          body: { scaler: 'workers', mode: 'pause', reason: `release ${++n}`, for: '2h' },
        })
        .then((a) => answers.push(a.status)),
    ]);
    expect(answers).toEqual(Array(8).fill(201));
    const { memory } = await w.runtime.memory.load();
    expect(memory.overrides.map((o) => o.reason).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `release ${i + 1}`).sort());
    expect(memory.nodes.recommendations.length).toBeGreaterThan(0);
    watch.expectSafe();
  });
});

describe('an override write that keeps losing the race', () => {
  it('is answered 503 with Retry-After, changing nothing; never 500', async () => {
    const { world: w } = await nightWorld();
    const store = w.runtime.memory;
    const save = store.save.bind(store);
    let attempts = 0;
    // Every save finds the state changed by someone else since it was read.
    store.save = async () => {
      attempts++;
      return false;
    };
    const answer = await w.http(overridesHttp, {
      method: 'POST',
      url: 'http://localhost/api/overrides',
      body: { scaler: 'nodes', mode: 'pause', reason: 'maintenance', for: '1h' },
    });
    expect(answer.status).toBe(503);
    expect(answer.headers['retry-after']).toBe('2');
    expect(String((answer.jsonBody as { error: string }).error)).toContain('nothing was changed');
    expect(attempts).toBeGreaterThan(1);
    store.save = save;
    expect((await store.load()).memory.overrides).toEqual([]);
    // Once the contention is over, the same request succeeds.
    const again = await w.http(overridesHttp, {
      method: 'POST',
      url: 'http://localhost/api/overrides',
      body: { scaler: 'nodes', mode: 'pause', reason: 'maintenance', for: '1h' },
    });
    expect(again.status).toBe(201);
  });

  it('is answered 503 too when the state ConfigMap cannot be reached', async () => {
    const { world: w } = await nightWorld();
    w.runtime.memory.load = async () => {
      throw new Error('connect ECONNREFUSED');
    };
    for (const init of [
      { method: 'POST', url: 'http://localhost/api/overrides', body: { scaler: 'nodes', mode: 'pause', reason: 'maintenance', for: '1h' } },
      { method: 'GET', url: 'http://localhost/api/overrides' },
      { method: 'DELETE', url: 'http://localhost/api/overrides/ov-1', params: { id: 'ov-1' } },
    ]) {
      const answer = await w.http(overridesHttp, init);
      expect(answer.status, init.method).toBe(503);
      expect(answer.headers['retry-after']).toBe('2');
    }
  });
});

describe('the stale-stop race', () => {
  it('refuses a deallocation planned for a drained, empty node on which pods started before it was sent', async () => {
    let target = '';
    const { world: w, watch } = await nightWorld((c) => {
      // As a drain left it: cordoned by us half an hour ago, every workload pod gone.
      target = userNodes(c)[3]!.metadata.name;
      for (const pod of workloadPodsOn(c, target))
        c.evict(
          { namespace: pod.metadata.namespace!, name: pod.metadata.name },
          { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace } },
        );
      c.patch(
        NODES,
        { name: target },
        {
          spec: { unschedulable: true },
          metadata: { annotations: { [DRAINING_SINCE]: new Date(c.now() - 30 * MINUTE).toISOString(), [DRAIN_REASON]: 'underused' } },
        },
        'merge',
      );
      c.advance(2 * MINUTE);
    });
    const { cluster } = w;
    expect(workloadPodsOn(cluster, target)).toEqual([]);

    // After the plan, before the deallocation is sent: demand rises, the node timer gives the node back
    // (uncordons it, clearing our annotations) and 22 pods start on it.
    const reader = w.runtime.deps.reader;
    const readNode = reader.readNode.bind(reader);
    let raced = false;
    reader.readNode = async (name) => {
      if (name === target && !raced) {
        raced = true;
        cluster.patch(
          NODES,
          { name: target },
          { spec: { unschedulable: false }, metadata: { annotations: { [DRAINING_SINCE]: null, [DRAIN_REASON]: null } } },
          'merge',
        );
        for (let i = 0; i < 22; i++)
          cluster.addJobPod({
            job: `rush-${i}`,
            namespace: 'clomo',
            cpu: '10m',
            memory: '16Mi',
            nodeSelector: { 'kubernetes.io/hostname': target },
          });
        cluster.advance(0);
      }
      return readNode(name);
    };

    const answer = await runAll(w);
    expect(raced).toBe(true);
    const outcomes = (answer.jsonBody as { outcomes: { type: string; outcome: string; detail?: string }[] }).outcomes;
    const stop = outcomes.find((o) => o.type === 'stop-node');
    expect(stop).toMatchObject({
      outcome: 'refused',
      detail: expect.stringContaining(`stale: node ${target} was uncordoned since the plan; 22 pods now run on it`),
    });
    // Never sent, nothing killed: the 22 pods still run.
    expect(w.arm.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/deallocate'))).toEqual([]);
    expect(workloadPodsOn(cluster, target).filter((p) => p.status.phase === 'Running')).toHaveLength(22);
    expect(watch.writes.filter((x) => x.call.startsWith('deallocate'))).toEqual([]);
    watch.expectSafe();
    // Recorded for people: a Warning Event on the node, saying why.
    const events = cluster.list(EVENTS, { namespace: 'default' }).items as {
      reason?: string;
      involvedObject?: { name?: string };
      message?: string;
    }[];
    expect(events.find((e) => e.reason === 'StopNodeRefused' && e.involvedObject?.name === target)?.message).toContain('stale');
  });
});

describe('Events reach the API, on objects that exist', () => {
  it('records a pool’s growth on the status ConfigMap and the node actions on their nodes', async () => {
    world = await startWorld({
      cluster: {
        ...clomo(NIGHT),
        pools: [
          { name: 'system', mode: 'System', count: 1, taints: ['CriticalAddonsOnly=true:NoSchedule'] },
          { name: 'user', count: 2, scaleDownMode: 'Deallocate' },
        ],
      },
      policy: buildPolicyDocument((p) => (p.nodes.pools = ['user'])),
      setup: (c) => c.addDeployment({ name: 'mdm', namespace: 'clomo', replicas: 80, cpu: '250m', memory: '256Mi' }),
    });
    await world.timer(nodeScalerTick);
    const inState = world.cluster.list(EVENTS, { namespace: STATE_NAMESPACE }).items as {
      reason?: string;
      involvedObject?: { kind?: string; name?: string; namespace?: string };
    }[];
    const grown = inState.find((e) => e.reason === 'AddNodes');
    expect(grown?.involvedObject).toMatchObject({ kind: 'ConfigMap', name: 'graceful-scaler-status', namespace: STATE_NAMESPACE });
    expect(
      world.cluster.list(findResource('', 'v1', 'configmaps')!, { namespace: STATE_NAMESPACE }).items.map((c) => c.metadata.name),
    ).toContain('graceful-scaler-status');
    // No Event names an object that does not exist.
    const all = [...inState, ...(world.cluster.list(EVENTS, { namespace: 'default' }).items as typeof inState)];
    for (const e of all) {
      if (e.involvedObject?.kind === 'Node') expect(world.cluster.node(e.involvedObject.name ?? '')).toBeDefined();
      expect(e.involvedObject?.name ?? '').not.toMatch(/^pool-/);
    }
  });
});
