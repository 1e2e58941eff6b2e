// PodDisruptionBudget arithmetic as the disruption controller does it: which pods count as healthy,
// what minAvailable / maxUnavailable (integers and percentages, rounded up) demand, and the
// fail-safe when a pod's controller has no scale.

import { describe, expect, it } from 'vitest';
import { aksPdb, jobPod, notReadyPod, terminating, workloadPod, type BuiltPod, type Mutator } from '../../builders/aks';
import { computePdbStatus, evictionVerdict, scaledValue, withDisruption, type ControllerScale } from '../../../sim/model/disruption';
import type { DeepReadonly, Pod, PodDisruptionBudget } from '../../../sim/model/objects';

const NOW = '2026-11-01T00:00:00Z';

function pods(n: number, ...parts: Mutator<BuiltPod>[]): Pod[] {
  return Array.from({ length: n }, (_, i) => workloadPod('mdm', i, ...parts));
}

function pdb(spec: { minAvailable?: number | string; maxUnavailable?: number | string }): PodDisruptionBudget {
  return aksPdb('mdm', { namespace: 'default', ...spec }) as unknown as PodDisruptionBudget;
}

/** Every pod belongs to Deployment mdm scaled to `replicas`. */
const deploymentOf = (replicas: number) => (): ControllerScale => ({ uid: 'deploy-mdm', replicas });

describe('status', () => {
  const cases: {
    name: string;
    spec: { minAvailable?: number | string; maxUnavailable?: number | string };
    pods: () => Pod[];
    replicas: number;
    expected: { expectedPods: number; desiredHealthy: number; currentHealthy: number; disruptionsAllowed: number };
  }[] = [
    {
      name: 'minAvailable 2 of 3 ready',
      spec: { minAvailable: 2 },
      pods: () => pods(3),
      replicas: 3,
      expected: { expectedPods: 3, desiredHealthy: 2, currentHealthy: 3, disruptionsAllowed: 1 },
    },
    {
      name: 'minAvailable 3 of 3 ready: none',
      spec: { minAvailable: 3 },
      pods: () => pods(3),
      replicas: 3,
      expected: { expectedPods: 3, desiredHealthy: 3, currentHealthy: 3, disruptionsAllowed: 0 },
    },
    {
      name: 'minAvailable 80% of 12 rounds up to 10',
      spec: { minAvailable: '80%' },
      pods: () => pods(12),
      replicas: 12,
      expected: { expectedPods: 12, desiredHealthy: 10, currentHealthy: 12, disruptionsAllowed: 2 },
    },
    {
      name: 'a percentage counts the Deployment scale, not the pods present',
      spec: { minAvailable: '50%' },
      pods: () => pods(2),
      replicas: 4,
      expected: { expectedPods: 4, desiredHealthy: 2, currentHealthy: 2, disruptionsAllowed: 0 },
    },
    {
      name: 'maxUnavailable 1',
      spec: { maxUnavailable: 1 },
      pods: () => pods(5),
      replicas: 5,
      expected: { expectedPods: 5, desiredHealthy: 4, currentHealthy: 5, disruptionsAllowed: 1 },
    },
    {
      name: 'maxUnavailable 25% of 10 rounds up to 3',
      spec: { maxUnavailable: '25%' },
      pods: () => pods(10),
      replicas: 10,
      expected: { expectedPods: 10, desiredHealthy: 7, currentHealthy: 10, disruptionsAllowed: 3 },
    },
    {
      name: 'terminating pods are not healthy',
      spec: { minAvailable: 2 },
      pods: () => [...pods(2), workloadPod('mdm', 9, terminating())],
      replicas: 3,
      expected: { expectedPods: 3, desiredHealthy: 2, currentHealthy: 2, disruptionsAllowed: 0 },
    },
    {
      name: 'unready pods are not healthy',
      spec: { maxUnavailable: 1 },
      pods: () => [...pods(3), workloadPod('mdm', 9, notReadyPod())],
      replicas: 4,
      expected: { expectedPods: 4, desiredHealthy: 3, currentHealthy: 3, disruptionsAllowed: 0 },
    },
    {
      name: 'no pods yet: nothing allowed, whatever the arithmetic',
      spec: { maxUnavailable: 2 },
      pods: () => [],
      replicas: 0,
      expected: { expectedPods: 0, desiredHealthy: 0, currentHealthy: 0, disruptionsAllowed: 0 },
    },
  ];
  it.each(cases)('$name', ({ spec, pods: make, replicas, expected }) => {
    const status = computePdbStatus(pdb(spec), make(), deploymentOf(replicas), NOW);
    expect(status).toMatchObject(expected);
    expect(status.conditions?.[0]).toMatchObject({
      type: 'DisruptionAllowed',
      status: expected.disruptionsAllowed > 0 ? 'True' : 'False',
      reason: expected.disruptionsAllowed > 0 ? 'SufficientPods' : 'InsufficientPods',
    });
  });

  it('fails safe (no disruption) when a percentage budget covers a pod whose controller has no scale', () => {
    const job = jobPod('clomo-daily-batch-29012345');
    const scaleOf = (pod: DeepReadonly<Pod>): ControllerScale =>
      pod.metadata.ownerReferences?.[0]?.kind === 'Job' ? 'unsupported' : { uid: 'd', replicas: 3 };
    const status = computePdbStatus(pdb({ minAvailable: '50%' }), [...pods(3), job], scaleOf, NOW);
    expect(status.disruptionsAllowed).toBe(0);
    expect(status.conditions?.[0]).toMatchObject({
      status: 'False',
      reason: 'SyncFailed',
      message: `found no controllers for pod "${job.metadata.name}"`,
    });
  });

  it('counts an integer minAvailable against the pods themselves, controllers or not', () => {
    const job = jobPod('clomo-daily-batch-29012345');
    const status = computePdbStatus(pdb({ minAvailable: 1 }), [job, ...pods(1)], () => 'unsupported', NOW);
    expect(status).toMatchObject({ expectedPods: 2, desiredHealthy: 1, currentHealthy: 2, disruptionsAllowed: 1 });
  });

  it('leaves pods without a controller out of the expected scale', () => {
    const scaleOf = (pod: DeepReadonly<Pod>): ControllerScale =>
      pod.metadata.ownerReferences === undefined ? 'unmanaged' : { uid: 'd', replicas: 4 };
    const bare = workloadPod('mdm', 8, (p) => delete p.metadata.ownerReferences);
    const status = computePdbStatus(pdb({ maxUnavailable: 1 }), [...pods(4), bare], scaleOf, NOW);
    expect(status).toMatchObject({ expectedPods: 4, desiredHealthy: 3, currentHealthy: 5, disruptionsAllowed: 2 });
  });
});

describe('scaled values (IntOrString, rounded up)', () => {
  const cases: { value: number | string; total: number; scaled: number }[] = [
    { value: 3, total: 10, scaled: 3 },
    { value: '3', total: 10, scaled: 3 },
    { value: '25%', total: 10, scaled: 3 },
    { value: '80%', total: 12, scaled: 10 },
    { value: '100%', total: 7, scaled: 7 },
    { value: '0%', total: 7, scaled: 0 },
  ];
  it.each(cases)('$value of $total → $scaled', ({ value, total, scaled }) => {
    expect(scaledValue(value, total)).toBe(scaled);
  });
});

describe('eviction verdict (the eviction subresource, one budget)', () => {
  const budget = (
    status: { currentHealthy: number; desiredHealthy: number; disruptionsAllowed: number },
    policy?: 'AlwaysAllow',
  ): PodDisruptionBudget => {
    const pdb = pdb0();
    pdb.status = { ...status, expectedPods: 5, observedGeneration: 1 };
    if (policy !== undefined) pdb.spec.unhealthyPodEvictionPolicy = policy;
    return pdb;
  };
  const pdb0 = (): PodDisruptionBudget => pdb({ minAvailable: 3 });
  const ready = workloadPod('mdm', 1);
  const unready = workloadPod('mdm', 2, notReadyPod());
  const cases: { name: string; pod: Pod; pdb: PodDisruptionBudget; verdict: ReturnType<typeof evictionVerdict> }[] = [
    {
      name: 'a ready pod while disruptions are left',
      pod: ready,
      pdb: budget({ currentHealthy: 5, desiredHealthy: 3, disruptionsAllowed: 2 }),
      verdict: 'takes-a-disruption',
    },
    {
      name: 'a ready pod with none left',
      pod: ready,
      pdb: budget({ currentHealthy: 3, desiredHealthy: 3, disruptionsAllowed: 0 }),
      verdict: 'refused',
    },
    {
      name: 'an unready pod while the budget is met',
      pod: unready,
      pdb: budget({ currentHealthy: 3, desiredHealthy: 3, disruptionsAllowed: 0 }),
      verdict: 'free',
    },
    {
      name: 'an unready pod while the budget is not met',
      pod: unready,
      pdb: budget({ currentHealthy: 2, desiredHealthy: 3, disruptionsAllowed: 0 }),
      verdict: 'refused',
    },
    {
      name: 'an unready pod, budget not met, AlwaysAllow',
      pod: unready,
      pdb: budget({ currentHealthy: 2, desiredHealthy: 3, disruptionsAllowed: 0 }, 'AlwaysAllow'),
      verdict: 'free',
    },
    {
      name: 'an unready pod under a budget that wants none healthy',
      pod: unready,
      pdb: budget({ currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0 }),
      verdict: 'refused',
    },
  ];
  it.each(cases)('$name → $verdict', ({ pod, pdb: budgetUnderTest, verdict }) => {
    expect(evictionVerdict(pod, budgetUnderTest)).toBe(verdict);
  });

  it('writes an allowed eviction into the status as the API server does', () => {
    const after = withDisruption(budget({ currentHealthy: 4, desiredHealthy: 3, disruptionsAllowed: 1 }), 'mdm-x', NOW);
    expect(after.status).toMatchObject({ disruptionsAllowed: 0, disruptedPods: { 'mdm-x': NOW } });
    expect(after.status?.conditions?.find((c) => c.type === 'DisruptionAllowed')).toMatchObject({
      status: 'False',
      reason: 'InsufficientPods',
    });
  });
});
