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

/**
 * A Deployment's Available and Progressing conditions: available when enough replicas are;
 * progressing with its newest ReplicaSet, `complete` once that one is fully rolled out.
 */
export function deploymentConditions(
  deployment: DeepReadonly<Deployment>,
  availableEnough: boolean,
  replicaSet: string,
  complete: boolean,
  now: string,
): Condition[] {
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
    reason: complete ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated',
    message: complete ? `ReplicaSet "${replicaSet}" has successfully progressed.` : `ReplicaSet "${replicaSet}" is progressing.`,
    lastTransitionTime: now,
  });
  return conditions;
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
  const conditions = deploymentConditions(deployment, availableEnough, rs.metadata.name, true, now);
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
