// Deployment rollouts in the model: a changed template gets a new ReplicaSet, surge and
// unavailability stay within maxSurge / maxUnavailable at every step, old ReplicaSets end at zero,
// Recreate empties the old ones first; and the Job controller runs API-created Jobs.

import { describe, expect, it } from 'vitest';
import type { SimCluster } from '../../../sim/model/cluster';
import type { ReplicaSet } from '../../../sim/model/objects';
import { DEPLOYMENTS, JOBS, REPLICA_SETS } from '../../../sim/model/resources';
import { resolveIntOrPercent } from '../../../sim/model/cluster/controllers/rollouts';
import { SECOND, livePods, smallCluster } from '../../builders/sim-cluster';

const ref = { namespace: 'clomo', name: 'web' };

function replicaSets(cluster: SimCluster): ReplicaSet[] {
  return cluster.list(REPLICA_SETS, { namespace: 'clomo' }).items as ReplicaSet[];
}

function restart(cluster: SimCluster, at: string, strategy?: object): void {
  cluster.patch(
    DEPLOYMENTS,
    ref,
    {
      spec: {
        ...(strategy !== undefined ? { strategy } : {}),
        template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': at } } },
      },
    },
    'strategic',
  );
}

/** Advances a second at a time until the rollout is complete, noting the extremes on the way. */
function rollOut(cluster: SimCluster): { mostPods: number; fewestAvailable: number } {
  let mostPods = 0;
  let fewestAvailable = Infinity;
  for (let second = 0; second < 600; second++) {
    cluster.advance(SECOND);
    mostPods = Math.max(mostPods, livePods(cluster, 'clomo', 'web').length);
    const status = cluster.deployment('clomo', 'web')!.status!;
    fewestAvailable = Math.min(fewestAvailable, status.availableReplicas ?? 0);
    const progressing = status.conditions?.find((c) => c.type === 'Progressing');
    if (progressing?.reason === 'NewReplicaSetAvailable' && status.updatedReplicas === 8 && (status.replicas ?? 0) === 8) break;
  }
  return { mostPods, fewestAvailable };
}

describe('rollouts', () => {
  it('resolves maxSurge up and maxUnavailable down from percentages', () => {
    expect(resolveIntOrPercent('25%', 10, true, '25%')).toBe(3);
    expect(resolveIntOrPercent('25%', 10, false, '25%')).toBe(2);
    expect(resolveIntOrPercent(2, 10, true, '25%')).toBe(2);
    expect(resolveIntOrPercent(undefined, 3, false, '25%')).toBe(0);
  });

  it('a changed template rolls out a new ReplicaSet within maxSurge and maxUnavailable, and empties the old one', () => {
    const cluster = smallCluster(3, { namespaces: ['clomo'] });
    cluster.addDeployment({ name: 'web', namespace: 'clomo', replicas: 8 });
    const before = new Set(livePods(cluster, 'clomo', 'web').map((p) => p.metadata.name));
    restart(cluster, '2026-11-01T00:00:00Z', { type: 'RollingUpdate', rollingUpdate: { maxSurge: 2, maxUnavailable: 1 } });
    const { mostPods, fewestAvailable } = rollOut(cluster);
    expect(mostPods).toBeLessThanOrEqual(10);
    expect(fewestAvailable).toBeGreaterThanOrEqual(7);
    const sets = replicaSets(cluster).sort(
      (a, b) =>
        Number(a.metadata.annotations!['deployment.kubernetes.io/revision']) -
        Number(b.metadata.annotations!['deployment.kubernetes.io/revision']),
    );
    expect(
      sets.map((rs) => [rs.metadata.annotations!['deployment.kubernetes.io/revision'], rs.spec.replicas, rs.status?.replicas ?? 0]),
    ).toEqual([
      ['1', 0, 0],
      ['2', 8, 8],
    ]);
    expect(cluster.deployment('clomo', 'web')!.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    for (const pod of livePods(cluster, 'clomo', 'web')) expect(before.has(pod.metadata.name)).toBe(false);
  });

  it('Recreate stops every old pod before the new ReplicaSet starts any', () => {
    const cluster = smallCluster(3, { namespaces: ['clomo'] });
    cluster.addDeployment({ name: 'web', namespace: 'clomo', replicas: 8 });
    restart(cluster, '2026-11-01T00:00:00Z', { type: 'Recreate', rollingUpdate: null });
    let overlapped = false;
    for (let second = 0; second < 120; second++) {
      cluster.advance(SECOND);
      const [oldSet, newSet] = replicaSets(cluster).sort((a, b) => (a.metadata.creationTimestamp < b.metadata.creationTimestamp ? -1 : 1));
      if ((oldSet?.status?.replicas ?? 0) > 0 && (newSet?.status?.replicas ?? 0) > 0) overlapped = true;
    }
    expect(overlapped).toBe(false);
    expect(cluster.deployment('clomo', 'web')!.status).toMatchObject({ replicas: 8, updatedReplicas: 8, availableReplicas: 8 });
  });

  it('a scale-only change keeps the one ReplicaSet', () => {
    const cluster = smallCluster(3, { namespaces: ['clomo'] });
    cluster.addDeployment({ name: 'web', namespace: 'clomo', replicas: 3 });
    cluster.patch(DEPLOYMENTS, ref, { spec: { replicas: 5 } }, 'merge');
    cluster.advance(30 * SECOND);
    expect(replicaSets(cluster).map((rs) => rs.spec.replicas)).toEqual([5]);
  });
});

describe('Jobs created through the API', () => {
  it('get defaults and a selector, run their pods in parallel for their sleep, and complete', () => {
    const cluster = smallCluster(2, { namespaces: ['batch'] });
    const job = {
      metadata: { name: 'nightly' },
      spec: {
        completions: 2,
        parallelism: 2,
        template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['sleep', '40'] }] } },
      },
    };
    const created = cluster.create(JOBS, job, 'batch') as unknown as { metadata: { uid: string }; spec: Record<string, unknown> };
    expect(created.spec).toMatchObject({
      backoffLimit: 6,
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': created.metadata.uid } },
    });
    cluster.advance(30 * SECOND);
    const pods = [...cluster.pods()].filter((p) => p.metadata.namespace === 'batch');
    expect(pods.map((p) => [p.status.phase, p.metadata.labels?.['job-name']])).toEqual([
      ['Running', 'nightly'],
      ['Running', 'nightly'],
    ]);
    expect(cluster.get(JOBS, { namespace: 'batch', name: 'nightly' })).toMatchObject({ status: { active: 2 } });
    cluster.advance(30 * SECOND);
    expect(cluster.get(JOBS, { namespace: 'batch', name: 'nightly' })).toMatchObject({
      status: {
        succeeded: 2,
        completionTime: expect.any(String),
        conditions: expect.arrayContaining([expect.objectContaining({ type: 'Complete', status: 'True' })]),
      },
    });
  });

  it('an imported Job is left to its pods (the simulator does not run it)', () => {
    const cluster = smallCluster(1, { namespaces: ['batch'] });
    cluster.import({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'old', namespace: 'batch' },
      spec: { template: { spec: { containers: [] } } },
    });
    cluster.advance(60 * SECOND);
    expect([...cluster.pods()].filter((p) => p.metadata.namespace === 'batch')).toEqual([]);
  });
});

describe('paused Deployments', () => {
  it('start no rollout while paused, and roll out the changed template when resumed', () => {
    const cluster = smallCluster(3, { namespaces: ['clomo'] });
    cluster.addDeployment({ name: 'web', namespace: 'clomo', replicas: 3 });
    cluster.patch(DEPLOYMENTS, ref, { spec: { paused: true } }, 'merge');
    restart(cluster, '2026-11-01T00:00:00Z');
    cluster.advance(60 * SECOND);
    expect(replicaSets(cluster)).toHaveLength(1);
    cluster.patch(DEPLOYMENTS, ref, { spec: { paused: null } }, 'merge');
    cluster.advance(60 * SECOND);
    expect(
      replicaSets(cluster)
        .map((rs) => rs.spec.replicas)
        .sort(),
    ).toEqual([0, 3]);
  });
});
