// PodDisruptionBudget status as the disruption controller computes it
// (pkg/controller/disruption/disruption.go): expected pods, desired healthy, current healthy and
// the disruptions allowed, including its failure mode. Pure: the caller finds the matching pods and
// each pod's controller scale.

import { ApiError } from './api-errors';
import type { Condition, DeepReadonly, Pod, PodDisruptionBudget } from './objects';
import { cloneJson, isPodReady, setCondition } from './objects';

export type PdbStatus = NonNullable<PodDisruptionBudget['status']>;

/**
 * The scale of a pod's controller: a Deployment's (or a bare ReplicaSet's) `spec.replicas`, keyed
 * by the controller's uid; 'unmanaged' for a pod without controller; 'unsupported' for a controller
 * with no scale (a Job, a DaemonSet), which makes a percentage or maxUnavailable budget fail.
 */
export type ControllerScale = { uid: string; replicas: number } | 'unmanaged' | 'unsupported';

class SyncError extends Error {}

/**
 * `GetScaledValueFromIntOrPercent(value, total, roundUp=true)`: an integer as is, `"80%"` of total
 * rounded up. A string that is not a percentage is the error the controller reports.
 */
export function scaledValue(value: number | string, total: number): number {
  if (typeof value === 'number') return value;
  const match = /^(\d+)%$/.exec(value);
  if (match === null) {
    if (/^\d+$/.test(value)) return Number(value);
    throw new SyncError(`invalid value for IntOrString: invalid type: string is not a percentage`);
  }
  return Math.ceil((Number(match[1]) * total) / 100);
}

/** The summed scale of the pods' controllers; throws SyncError at the first pod whose controller has none. */
export function expectedScale(pods: readonly DeepReadonly<Pod>[], scaleOf: (pod: DeepReadonly<Pod>) => ControllerScale): number {
  const scales = new Map<string, number>();
  for (const pod of pods) {
    const scale = scaleOf(pod);
    if (scale === 'unmanaged') continue;
    if (scale === 'unsupported') throw new SyncError(`found no controllers for pod "${pod.metadata.name}"`);
    scales.set(scale.uid, scale.replicas);
  }
  let total = 0;
  for (const replicas of scales.values()) total += replicas;
  return total;
}

/** Healthy: not being deleted and Ready (the controller's countHealthyPods). */
export function isHealthy(pod: DeepReadonly<Pod>): boolean {
  return pod.metadata.deletionTimestamp === undefined && isPodReady(pod);
}

export function countHealthy(pods: readonly DeepReadonly<Pod>[]): number {
  let healthy = 0;
  for (const pod of pods) if (isHealthy(pod)) healthy++;
  return healthy;
}

/** What a budget's status is computed from: its pods counted, not the pods themselves. */
export interface BudgetCounts {
  /** Selected pods that are healthy. */
  healthy: number;
  /** Selected pods. */
  pods: number;
  /** The pods' expected count from their controllers' scale (expectedScale); asked only when the budget needs it. */
  expected(): number;
}

export function computePdbStatus(
  pdb: DeepReadonly<PodDisruptionBudget>,
  pods: readonly DeepReadonly<Pod>[],
  scaleOf: (pod: DeepReadonly<Pod>) => ControllerScale,
  now: string,
): PdbStatus {
  return pdbStatus(pdb, { healthy: countHealthy(pods), pods: pods.length, expected: () => expectedScale(pods, scaleOf) }, now);
}

/** The same from counts (the model keeps them as pods are written, so a budget over a thousand pods costs no walk). */
export function pdbStatus(pdb: DeepReadonly<PodDisruptionBudget>, counts: BudgetCounts, now: string): PdbStatus {
  const currentHealthy = counts.healthy;
  const observedGeneration = pdb.metadata.generation ?? 1;
  const previous = pdb.status?.conditions?.find((c) => c.type === 'DisruptionAllowed');
  const condition = (status: 'True' | 'False', reason: string, message = ''): Condition => ({
    type: 'DisruptionAllowed',
    status,
    reason,
    message,
    observedGeneration,
    lastTransitionTime:
      previous !== undefined && previous.status === status && previous.lastTransitionTime !== undefined ? previous.lastTransitionTime : now,
  });
  try {
    let expectedPods = 0;
    let desiredHealthy = 0;
    const { minAvailable, maxUnavailable } = pdb.spec;
    if (maxUnavailable !== undefined) {
      expectedPods = counts.expected();
      desiredHealthy = Math.max(0, expectedPods - scaledValue(maxUnavailable, expectedPods));
    } else if (minAvailable !== undefined) {
      if (typeof minAvailable === 'number') {
        // An integer minAvailable counts the pods themselves, not their controllers' scale.
        desiredHealthy = minAvailable;
        expectedPods = counts.pods;
      } else {
        expectedPods = counts.expected();
        desiredHealthy = scaledValue(minAvailable, expectedPods);
      }
    }
    // expectedPods must be positive so that a budget whose pods have not appeared yet is safe.
    const raw = currentHealthy - desiredHealthy;
    const disruptionsAllowed = expectedPods <= 0 || raw <= 0 ? 0 : raw;
    return {
      observedGeneration,
      currentHealthy,
      desiredHealthy,
      disruptionsAllowed,
      expectedPods,
      conditions: [disruptionsAllowed > 0 ? condition('True', 'SufficientPods') : condition('False', 'InsufficientPods')],
    };
  } catch (error) {
    if (!(error instanceof SyncError)) throw error;
    // failSafe: the controller cannot count, so no disruption is allowed until it can.
    return {
      observedGeneration,
      currentHealthy,
      desiredHealthy: pdb.status?.desiredHealthy ?? 0,
      disruptionsAllowed: 0,
      expectedPods: pdb.status?.expectedPods ?? 0,
      conditions: [condition('False', 'SyncFailed', error.message)],
    };
  }
}

/**
 * What the eviction subresource makes of a running pod under one budget: a healthy pod takes one of
 * the budget's disruptions, or is refused when none is left; an unready pod goes without spending
 * any while the budget is met (IfHealthyBudget, the default) or always (AlwaysAllow), since it does
 * not count as healthy anyway.
 */
export function evictionVerdict(pod: DeepReadonly<Pod>, pdb: DeepReadonly<PodDisruptionBudget>): 'free' | 'takes-a-disruption' | 'refused' {
  const status = pdb.status ?? { currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0 };
  if (!isPodReady(pod)) {
    if (pdb.spec.unhealthyPodEvictionPolicy === 'AlwaysAllow') return 'free';
    if (status.currentHealthy >= status.desiredHealthy && status.desiredHealthy > 0) return 'free';
  }
  return status.disruptionsAllowed > 0 ? 'takes-a-disruption' : 'refused';
}

/** The 429 the API server answers, with the budget's numbers in the cause. */
export function budgetRefusal(pdb: DeepReadonly<PodDisruptionBudget>): ApiError {
  const status = pdb.status ?? { currentHealthy: 0, desiredHealthy: 0 };
  return new ApiError(429, 'TooManyRequests', "Cannot evict pod as it would violate the pod's disruption budget.", {
    causes: [
      {
        reason: 'DisruptionBudget',
        message: `The disruption budget ${pdb.metadata.name} needs ${status.desiredHealthy} healthy pods and has ${status.currentHealthy} currently`,
      },
    ],
  });
}

/** The budget after an allowed eviction, as the API server writes it: one disruption fewer, the pod noted. */
export function withDisruption(pdb: DeepReadonly<PodDisruptionBudget>, podName: string, now: string): PodDisruptionBudget {
  const next = cloneJson(pdb) as PodDisruptionBudget;
  const status = (next.status ??= { currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0 });
  status.disruptionsAllowed -= 1;
  status.disruptedPods = { ...status.disruptedPods, [podName]: now };
  if (status.disruptionsAllowed <= 0) {
    setCondition((status.conditions ??= []), {
      type: 'DisruptionAllowed',
      status: 'False',
      reason: 'InsufficientPods',
      message: '',
      lastTransitionTime: now,
    });
  }
  return next;
}
