// The churn counters, on a small simulated world driven by hand: drains started, completed,
// cancelled (after evicting or not), restarted soon; worker replica changes and scale-downs below
// the busy workers.

import { describe, expect, it } from 'vitest';
import { BUSY } from '../../../core/annotations';
import { PODS } from '../../../sim/model/resources';
import { Churn } from '../../../sim/scenario/churn';
import { simPolicy } from '../../../sim/scenario/simulation';
import { referenceTraffic } from '../../../sim/scenario/traffic';
import { buildWorld, DEFAULT_WORKLOADS, NAMESPACE, USER_POOL, workloadPodsOn } from '../../../sim/scenario/world';

function world() {
  const policy = simPolicy();
  const traffic = referenceTraffic({ days: 1, seed: 1, peakRps: 20, jobsPerHour: 10 });
  const w = buildWorld({
    traffic,
    policy,
    shape: DEFAULT_WORKLOADS,
    seed: 1,
    worker: policy.workers[0],
    staticNodes: 3,
    poolSize: 4,
    initialNodes: 3,
    initialBgReplicas: 3,
    holder: 'test',
  });
  const churn = new Churn(w.cluster, w.actions, w.vms);
  const user = () => w.userNodes().filter((n) => n.pool === USER_POOL);
  return { w, churn, user };
}

const since = { since: '2026-11-23T00:00:00Z', reason: 'test' };

describe('churn', () => {
  it('counts a drain cancelled after evicting, and one cancelled before', async () => {
    const { w, churn, user } = world();
    const [a, b] = user().filter((n) => workloadPodsOn(w.cluster, n.name).length > 0);
    await w.actions.cordon(a!.name, since);
    const pod = workloadPodsOn(w.cluster, a!.name)[0]!;
    expect(w.actions.evictNow(pod.metadata.namespace, pod.metadata.name)).toBe('evicted');
    await w.actions.uncordon(a!.name);
    await w.actions.cordon(b!.name, since);
    await w.actions.uncordon(b!.name);
    expect(churn.counts).toMatchObject({
      drains: 2,
      drainsCancelled: 2,
      drainsCancelledAfterEvicting: 1,
      drainEvictions: 1,
      otherEvictions: 0,
    });
  });

  it('counts a drain completed when its VM is stopped, not cancelled by the uncordon after a restart, and restarted within the hour', async () => {
    const { w, churn, user } = world();
    const node = user()[0]!;
    await w.actions.cordon(node.name, since);
    for (const pod of workloadPodsOn(w.cluster, node.name)) w.actions.evictNow(pod.metadata.namespace, pod.metadata.name);
    w.cluster.advance(120_000);
    await w.vms.deallocate(node);
    w.cluster.advance(5 * 60_000);
    await w.vms.start(user().find((n) => n.name === node.name)!);
    await w.actions.uncordon(node.name);
    expect(churn.counts).toMatchObject({ drains: 1, drainsCompleted: 1, drainsCancelled: 0, drainsRestartedWithinHour: 1 });
  });

  it('counts an eviction from a schedulable node as another eviction', () => {
    const { w, churn, user } = world();
    const pod = workloadPodsOn(w.cluster, user()[0]!.name)[0]!;
    w.actions.evictNow(pod.metadata.namespace, pod.metadata.name);
    expect(churn.counts).toMatchObject({ drains: 0, drainEvictions: 0, otherEvictions: 1 });
  });

  it('counts worker replica changes, and a scale-down below the busy workers', () => {
    const { w, churn } = world();
    const workers = [...w.cluster.pods()].filter((p) => p.metadata.labels?.app === 'bg');
    expect(workers).toHaveLength(3);
    for (const p of workers.slice(0, 2))
      w.cluster.patch(PODS, { namespace: NAMESPACE, name: p.metadata.name }, { metadata: { annotations: { [BUSY]: 'true' } } }, 'merge');
    const scale = (replicas: number) => w.cluster.replaceScale({ namespace: NAMESPACE, name: 'bg' }, { spec: { replicas } });
    scale(5); // up
    scale(5); // no change
    scale(3); // down to 3 with 2 busy: idle ones can go
    scale(1); // down to 1 with 2 busy: whichever pods go, a busy one gets SIGTERM
    w.cluster.advance(0);
    expect(churn.counts).toMatchObject({ workerReplicaChanges: 3, workerScaleDowns: 2, scaleDownsBelowBusy: 1 });
    expect(churn.counts.busyWorkersSignalled).toBeGreaterThanOrEqual(1);
  });
});
