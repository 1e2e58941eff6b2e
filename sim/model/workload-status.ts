// The status the workload controllers write: a ReplicaSet's replica counts, a Deployment's counts
// and conditions, a DaemonSet's scheduled and ready numbers. Zero counts are left out, as the API
// server serialises them (omitempty).

import {
  cloneJson,
  isPodReady,
  isTerminal,
  setCondition,
  type Condition,
  type DeepReadonly,
  type Deployment,
  type Pod,
  type ReplicaSet,
} from './objects';

/** Counted by the workload controllers: not being deleted, not finished. */
export function isActive(pod: DeepReadonly<Pod>): boolean {
  return pod.metadata.deletionTimestamp === undefined && !isTerminal(pod);
}

/** From the counts of its pods the model keeps as they are written (PodIndex.replicas). */
export function replicaSetStatus(counts: { active: number; ready: number }, generation: number): NonNullable<ReplicaSet['status']> {
  const { active: replicas, ready } = counts;
  const status: NonNullable<ReplicaSet['status']> = { replicas, fullyLabeledReplicas: replicas, observedGeneration: generation };
  if (ready > 0) {
    status.readyReplicas = ready;
    // minReadySeconds is 0 in our manifests: ready is available.
    status.availableReplicas = ready;
  }
  return status;
}

export function deploymentStatus(
  deployment: DeepReadonly<Deployment>,
  rs: DeepReadonly<ReplicaSet>,
  now: string,
): NonNullable<Deployment['status']> {
  const replicas = deployment.spec.replicas ?? 1;
  const current = rs.status?.replicas ?? 0;
  const ready = rs.status?.readyReplicas ?? 0;
  const available = rs.status?.availableReplicas ?? 0;
  // Available while no more than maxUnavailable (25 %, rounded down) is missing.
  const availableEnough = available >= replicas - Math.floor(replicas * 0.25);
  const conditions = cloneJson(deployment.status?.conditions ?? []) as Condition[];
  setCondition(conditions, {
    type: 'Available',
    status: availableEnough ? 'True' : 'False',
    reason: availableEnough ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
    message: availableEnough ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.',
    lastTransitionTime: now,
  });
  setCondition(conditions, {
    type: 'Progressing',
    status: 'True',
    reason: 'NewReplicaSetAvailable',
    message: `ReplicaSet "${rs.metadata.name}" has successfully progressed.`,
    lastTransitionTime: now,
  });
  const status: NonNullable<Deployment['status']> = { observedGeneration: deployment.metadata.generation ?? 1 };
  if (current > 0) {
    status.replicas = current;
    status.updatedReplicas = current;
  }
  if (ready > 0) status.readyReplicas = ready;
  if (available > 0) status.availableReplicas = available;
  if (current - available > 0) status.unavailableReplicas = current - available;
  status.conditions = conditions;
  return status;
}

export function daemonSetStatus(pods: Iterable<DeepReadonly<Pod>>, nodes: number, generation: number): Record<string, number> {
  let scheduled = 0;
  let ready = 0;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp !== undefined) continue;
    scheduled++;
    if (isPodReady(pod)) ready++;
  }
  return {
    currentNumberScheduled: scheduled,
    desiredNumberScheduled: nodes,
    numberMisscheduled: 0,
    numberReady: ready,
    numberAvailable: ready,
    ...(scheduled - ready > 0 ? { numberUnavailable: scheduled - ready } : {}),
    updatedNumberScheduled: scheduled,
    observedGeneration: generation,
  };
}
