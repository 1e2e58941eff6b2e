// The Eviction API as the API server implements it: a PodDisruptionBudget that allows no disruption
// answers 429 with the budget's numbers, two budgets over one pod a 500, a missing pod a 404; an
// allowed eviction is a graceful delete and uses up one of the budget's disruptions.

import { describe, expect, it } from 'vitest';
import { ApiError, type Status } from '../../../sim/model/api-errors';
import { PDBS, PODS } from '../../../sim/model/resources';
import { SECOND, livePods, smallCluster } from '../../builders/sim-cluster';

function refusal(run: () => unknown): Status {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return error.status();
    throw error;
  }
  throw new Error('expected an ApiError');
}

function mdmCluster(replicas = 5, pdb: { minAvailable?: number | string; maxUnavailable?: number | string } = { minAvailable: '80%' }) {
  const cluster = smallCluster(3);
  cluster.addDeployment({ name: 'mdm', namespace: 'clomo', replicas });
  cluster.addPdb({ name: 'mdm', namespace: 'clomo', ...pdb });
  const pods = livePods(cluster, 'clomo', 'mdm').map((p) => ({ namespace: 'clomo', name: p.metadata.name }));
  return { cluster, pods };
}

describe('with a PodDisruptionBudget', () => {
  it('evicts while the budget allows, then answers 429 with the budget in the Status', () => {
    // 80 % of 5 rounds up to 4: one disruption allowed.
    const { cluster, pods } = mdmCluster(5);
    expect(cluster.pdb('clomo', 'mdm')?.status).toMatchObject({
      expectedPods: 5,
      desiredHealthy: 4,
      currentHealthy: 5,
      disruptionsAllowed: 1,
    });
    cluster.evict(pods[0]!, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: pods[0] });
    const evicted = cluster.pod('clomo', pods[0]!.name)!;
    expect(evicted.metadata.deletionTimestamp).toBeDefined();
    expect(evicted.status.conditions?.find((c) => c.type === 'DisruptionTarget')).toMatchObject({
      status: 'True',
      reason: 'EvictionByEvictionAPI',
    });
    expect(cluster.pdb('clomo', 'mdm')?.status).toMatchObject({ currentHealthy: 4, disruptionsAllowed: 0 });

    expect(refusal(() => cluster.evict(pods[1]!))).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      reason: 'TooManyRequests',
      details: { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget mdm needs 4 healthy pods and has 4 currently' }] },
      code: 429,
    });
    expect(cluster.pod('clomo', pods[1]!.name)?.metadata.deletionTimestamp).toBeUndefined();
  });

  it('allows the next eviction once the replacement is Ready', () => {
    const { cluster, pods } = mdmCluster(5);
    cluster.evict(pods[0]!);
    expect(refusal(() => cluster.evict(pods[1]!)).code).toBe(429);
    // The evicted pod exits (2 s), the ReplicaSet's replacement starts (5 s).
    cluster.advance(10 * SECOND);
    expect(cluster.pdb('clomo', 'mdm')?.status).toMatchObject({ currentHealthy: 5, disruptionsAllowed: 1 });
    cluster.evict(pods[1]!);
    expect(cluster.pod('clomo', pods[1]!.name)?.metadata.deletionTimestamp).toBeDefined();
  });

  it('takes one disruption per eviction from the status, as the API server writes it', () => {
    const { cluster, pods } = mdmCluster(6, { maxUnavailable: 2 });
    const before = cluster.get(PDBS, { namespace: 'clomo', name: 'mdm' }).metadata.resourceVersion;
    cluster.evict(pods[0]!);
    const pdb = cluster.pdb('clomo', 'mdm')!;
    expect(pdb.status?.disruptionsAllowed).toBe(1);
    expect(Number(pdb.metadata.resourceVersion)).toBeGreaterThan(Number(before));
    cluster.evict(pods[1]!);
    expect(refusal(() => cluster.evict(pods[2]!)).code).toBe(429);
  });

  it('answers 500 when two budgets select the pod (the eviction subresource does not support it)', () => {
    const { cluster, pods } = mdmCluster(5);
    cluster.addPdb({ name: 'everything', namespace: 'clomo', matchLabels: {}, maxUnavailable: 5 });
    expect(refusal(() => cluster.evict(pods[0]!))).toMatchObject({
      code: 500,
      reason: 'InternalError',
      message: 'Internal error occurred: This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
    });
  });

  it('does not check the budget for a pod that is not running yet (Pending)', () => {
    const cluster = smallCluster(3);
    cluster.addDeployment({ name: 'mdm', namespace: 'clomo', replicas: 2 });
    cluster.addPdb({ name: 'mdm', namespace: 'clomo', minAvailable: 2 });
    cluster.replaceScale({ namespace: 'clomo', name: 'mdm' }, { spec: { replicas: 3 } });
    cluster.advance(0);
    const starting = livePods(cluster, 'clomo', 'mdm').find((p) => p.status.phase === 'Pending')!;
    cluster.evict({ namespace: 'clomo', name: starting.metadata.name });
    expect(cluster.pod('clomo', starting.metadata.name)?.metadata.deletionTimestamp).toBeDefined();
  });

  it('lets an unready pod go without spending the budget while the budget is met (IfHealthyBudget)', () => {
    const { cluster, pods } = mdmCluster(5, { minAvailable: 3 });
    cluster.setPodReady(pods[0]!, false);
    expect(cluster.pdb('clomo', 'mdm')?.status).toMatchObject({ currentHealthy: 4, disruptionsAllowed: 1 });
    cluster.evict(pods[0]!);
    expect(cluster.pod('clomo', pods[0]!.name)?.metadata.deletionTimestamp).toBeDefined();
    // It was not healthy: the one disruption is still there.
    expect(cluster.pdb('clomo', 'mdm')?.status).toMatchObject({ currentHealthy: 4, disruptionsAllowed: 1 });
  });

  it('refuses an unready pod when the budget is not met, unless the policy is AlwaysAllow', () => {
    for (const [policy, refused] of [
      [undefined, true],
      ['AlwaysAllow', false],
    ] as const) {
      const cluster = smallCluster(3);
      cluster.addDeployment({ name: 'mdm', namespace: 'clomo', replicas: 3 });
      cluster.addPdb({
        name: 'mdm',
        namespace: 'clomo',
        minAvailable: 3,
        ...(policy !== undefined ? { unhealthyPodEvictionPolicy: policy } : {}),
      });
      const pod = { namespace: 'clomo', name: livePods(cluster, 'clomo', 'mdm')[0]!.metadata.name };
      cluster.setPodReady(pod, false);
      expect(cluster.pdb('clomo', 'mdm')?.status).toMatchObject({ currentHealthy: 2, desiredHealthy: 3, disruptionsAllowed: 0 });
      if (refused) expect(refusal(() => cluster.evict(pod)).code).toBe(429);
      else {
        cluster.evict(pod);
        expect(cluster.pod('clomo', pod.name)?.metadata.deletionTimestamp).toBeDefined();
      }
    }
  });

  it('evicts with the grace period of the eviction deleteOptions', () => {
    const { cluster, pods } = mdmCluster(5);
    cluster.evict(pods[0]!, { deleteOptions: { gracePeriodSeconds: 7 } });
    expect(cluster.pod('clomo', pods[0]!.name)?.metadata.deletionGracePeriodSeconds).toBe(7);
  });
});

describe('the disruption controller', () => {
  it('keeps the status current as pods come, go and scale, and fails safe over a pod with no scale (a Job)', () => {
    const { cluster } = mdmCluster(4, { maxUnavailable: 1 });
    const status = () => cluster.pdb('clomo', 'mdm')?.status;
    expect(status()).toMatchObject({ expectedPods: 4, desiredHealthy: 3, currentHealthy: 4, disruptionsAllowed: 1 });
    cluster.replaceScale({ namespace: 'clomo', name: 'mdm' }, { spec: { replicas: 6 } });
    // The ReplicaSet's new pods count in the scale at once, as healthy only once Ready.
    cluster.advance(0);
    expect(status()).toMatchObject({ expectedPods: 6, desiredHealthy: 5, currentHealthy: 4, disruptionsAllowed: 0 });
    cluster.advance(10 * SECOND);
    expect(status()).toMatchObject({ expectedPods: 6, desiredHealthy: 5, currentHealthy: 6, disruptionsAllowed: 1 });

    // A Job's pod has no scale: a maxUnavailable budget cannot count, and names the pod.
    const job = cluster.addJobPod({ job: 'mdm-1', namespace: 'clomo' });
    expect(status()).toMatchObject({
      disruptionsAllowed: 0,
      conditions: [{ reason: 'SyncFailed', message: `found no controllers for pod "${job.metadata.name}"` }],
    });
    cluster.delete(PODS, { namespace: 'clomo', name: job.metadata.name }, { gracePeriodSeconds: 0 });
    cluster.advance(10 * SECOND);
    expect(status()).toMatchObject({
      expectedPods: 6,
      currentHealthy: 6,
      disruptionsAllowed: 1,
      conditions: [{ reason: 'SufficientPods' }],
    });
  });
});

describe('without a budget, or without a pod', () => {
  it('evicts any running pod (a graceful delete)', () => {
    const cluster = smallCluster(2);
    cluster.addDeployment({ name: 'web', namespace: 'clomo', replicas: 1 });
    const pod = livePods(cluster, 'clomo', 'web')[0]!;
    cluster.evict({ namespace: 'clomo', name: pod.metadata.name });
    cluster.advance(2 * SECOND);
    expect(cluster.pod('clomo', pod.metadata.name)).toBeUndefined();
  });

  it('answers 404 for a pod that is gone', () => {
    const cluster = smallCluster(1);
    expect(refusal(() => cluster.evict({ namespace: 'clomo', name: 'gone' }))).toMatchObject({
      code: 404,
      reason: 'NotFound',
      message: 'pods "gone" not found',
      details: { name: 'gone', kind: 'pods' },
    });
  });

  it('answers 400 when the Eviction names another pod, 409 when its precondition uid does not match', () => {
    const { cluster, pods } = mdmCluster(5);
    expect(refusal(() => cluster.evict(pods[0]!, { metadata: { name: 'other' } })).code).toBe(400);
    expect(refusal(() => cluster.evict(pods[0]!, { deleteOptions: { preconditions: { uid: 'not-it' } } })).code).toBe(409);
  });
});
