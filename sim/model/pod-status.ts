// What the scheduler, the kubelet and the node lifecycle controller write into a pod, as changes to
// a draft of it (see draftPod). Conditions and container statuses are replaced, never edited in
// place: the previous version of the pod, still held by readers, shares them.

import { setCondition, type Condition, type DeepReadonly, type Pod } from './objects';

/**
 * A new version of a pod to change: copies of the parts these writers touch (metadata, spec,
 * status and its conditions), everything else shared with the stored version. Stored objects are
 * never mutated, so sharing is safe; it halves the cost of a write at 150,000 pods.
 */
export function draftPod(pod: DeepReadonly<Pod>): Pod {
  const source = pod as Pod;
  return {
    ...source,
    metadata: { ...source.metadata },
    spec: { ...source.spec },
    status: { ...source.status, ...(source.status.conditions !== undefined ? { conditions: [...source.status.conditions] } : {}) },
  };
}

/** The conditions the kubelet reports True once every container runs, in its order. */
export const RUNNING_CONDITIONS: readonly string[] = [
  'PodReadyToStartContainers',
  'Initialized',
  'Ready',
  'ContainersReady',
  'PodScheduled',
];

function condition(type: string, status: 'True' | 'False', now: string, extra: { reason?: string; message?: string } = {}): Condition {
  return { type, status, ...extra, lastProbeTime: null, lastTransitionTime: now };
}

/** The scheduler bound it: `spec.nodeName` and `PodScheduled=True`. */
export function markScheduled(pod: Pod, node: string, now: string): void {
  pod.spec.nodeName = node;
  setCondition((pod.status.conditions ??= []), condition('PodScheduled', 'True', now));
}

/** The scheduler found no node: `PodScheduled=False, reason Unschedulable` with its message. */
export function markUnschedulable(pod: Pod, message: string, now: string): void {
  setCondition((pod.status.conditions ??= []), condition('PodScheduled', 'False', now, { reason: 'Unschedulable', message }));
}

/**
 * The kubelet runs it: Running, Ready, its IPs and container statuses. `trueCondition` hands out
 * the (shareable) True conditions of this instant.
 */
export function markRunning(
  pod: Pod,
  now: string,
  ips: { hostIP: string | undefined; podIP: string },
  trueCondition: (type: string) => Condition,
): void {
  pod.status.phase = 'Running';
  pod.status.startTime ??= now;
  if (ips.hostIP !== undefined) pod.status.hostIP = ips.hostIP;
  pod.status.podIP = ips.podIP;
  const conditions = (pod.status.conditions ??= []);
  for (const type of RUNNING_CONDITIONS) setCondition(conditions, trueCondition(type));
  pod.status.containerStatuses = pod.spec.containers.map((c) => ({
    name: c.name,
    ready: true,
    started: true,
    restartCount: 0,
    image: c.image ?? '',
    imageID: '',
    state: { running: { startedAt: now } },
  }));
}

/** Its containers ended: Succeeded (exit 0) or Failed, no longer Ready. */
export function markFinished(pod: Pod, phase: 'Succeeded' | 'Failed', now: string): void {
  pod.status.phase = phase;
  const reason = phase === 'Succeeded' ? 'PodCompleted' : 'PodFailed';
  const conditions = (pod.status.conditions ??= []);
  for (const type of ['Ready', 'ContainersReady']) setCondition(conditions, condition(type, 'False', now, { reason }));
  pod.status.containerStatuses = (pod.status.containerStatuses ?? []).map((c) => ({
    ...c,
    ready: false,
    started: false,
    state: { terminated: { exitCode: phase === 'Succeeded' ? 0 : 137, reason: phase === 'Succeeded' ? 'Completed' : 'Error' } },
  }));
}

/**
 * Not Ready: a failing readiness probe (the kubelet, with a reason) or a node that stopped reporting
 * (the node lifecycle controller, which only flips the conditions the pod has).
 */
export function markNotReady(pod: Pod, now: string, reason?: string): void {
  const conditions = (pod.status.conditions ??= []);
  for (const type of ['Ready', 'ContainersReady']) {
    if (reason === undefined && !conditions.some((c) => c.type === type)) continue;
    setCondition(conditions, condition(type, 'False', now, reason === undefined ? {} : { reason }));
  }
  pod.status.containerStatuses = (pod.status.containerStatuses ?? []).map((c) => ({ ...c, ready: false }));
}

/** Ready again: a passing probe, or containers the kubelet restarted (`restarted` counts one more restart). */
export function markReady(pod: Pod, now: string, restarted: boolean): void {
  const conditions = (pod.status.conditions ??= []);
  for (const type of ['Ready', 'ContainersReady']) setCondition(conditions, condition(type, 'True', now));
  pod.status.containerStatuses = (pod.status.containerStatuses ?? []).map((c) => ({
    ...c,
    ready: true,
    started: true,
    restartCount: c.restartCount + (restarted ? 1 : 0),
    state: restarted ? { running: { startedAt: now } } : c.state,
  }));
}

export type DisruptionReason = 'EvictionByEvictionAPI' | 'DeletionByTaintManager';

/** Graceful deletion: the deadline and grace the API server writes, and why, if it was a disruption. */
export function markTerminating(
  pod: Pod,
  deadline: string,
  graceSeconds: number,
  disruption: DisruptionReason | undefined,
  now: string,
): void {
  pod.metadata.deletionTimestamp = deadline;
  pod.metadata.deletionGracePeriodSeconds = graceSeconds;
  if (disruption === undefined) return;
  const message = disruption === 'EvictionByEvictionAPI' ? 'Eviction API: evicting' : 'Taint manager: deleting due to NoExecute taint';
  setCondition((pod.status.conditions ??= []), condition('DisruptionTarget', 'True', now, { reason: disruption, message }));
}
