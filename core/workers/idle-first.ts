// Which workers may go on a scale-down. A worker says whether it runs a job with the busy annotation;
// the ReplicaSet removes the pods of lowest pod-deletion-cost first, so busy workers get a high cost
// and idle ones 0 before the replicas are lowered.

import { BUSY, POD_DELETION_COST } from '../annotations';
import type { Action } from '../decision';
import type { WorkerPolicy } from '../policy';
import type { PodView } from '../views';

/** Deletion costs: the ReplicaSet controller removes the lowest cost first; 0 is also the default. */
export const BUSY_DELETION_COST = 1000;
export const IDLE_DELETION_COST = 0;

export interface WorkerPods {
  /** Whether any worker publishes the busy annotation at all: without it, busy and idle cannot be told apart. */
  signal: boolean;
  busy: PodView[];
  idle: PodView[];
}

/** The Deployment's pods (terminating ones are already going and not listed), busy and idle. */
export function idleFirst(pods: readonly PodView[]): WorkerPods {
  const result: WorkerPods = { signal: false, busy: [], idle: [] };
  for (const pod of pods) {
    const busy = pod.annotations[BUSY];
    if (busy !== undefined) result.signal = true;
    (busy === 'true' ? result.busy : result.idle).push(pod);
  }
  return result;
}

/** Patch only pods whose cost is not already right, so a repeated tick patches nothing. */
export function deletionCosts(order: WorkerPods, worker: WorkerPolicy, removing: number): Action[] {
  const actions: Action[] = [];
  const set = (pod: PodView, cost: number, why: string) => {
    const currentCost = Number(pod.annotations[POD_DELETION_COST] ?? '0');
    if (currentCost === cost) return;
    actions.push({
      type: 'set-deletion-cost',
      namespace: pod.namespace,
      pod: pod.name,
      cost,
      scaler: 'workers',
      rule: 'workers-deletion-cost',
      reason: why,
    });
  };
  const summary = `removing ${removing} of ${order.busy.length + order.idle.length} ${worker.name} workers, ${order.busy.length} busy`;
  for (const pod of order.busy) set(pod, BUSY_DELETION_COST, `${summary}: busy (${BUSY}=true), goes last`);
  for (const pod of order.idle) set(pod, IDLE_DELETION_COST, `${summary}: idle, goes first`);
  return actions;
}
