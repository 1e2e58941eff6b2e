// Which workers may go on a scale-down. A worker says whether it runs a job with the busy annotation;
// the ReplicaSet removes the pods of lowest pod-deletion-cost first, so busy workers get a high cost
// and idle ones less before the replicas are lowered.
//
// Among idle workers, those on nodes the node scaler keeps go last. Whichever idle worker takes the
// next job holds its node for as long as the job runs (hours, for a long one): idle workers left on
// nodes that stay (`graceful-scaler.io/stays`) mean long jobs start there, and the nodes that go at
// night are not held by a job begun in the afternoon. Idle workers on a node about to go (the
// drain-candidate taint, a cordon) go first: their node empties sooner.

import { BUSY, POD_DELETION_COST, STAYS_LABEL } from '../annotations';
import type { Action } from '../decision';
import { hasDrainCandidateTaint } from '../nodes/drain-candidates';
import type { WorkerPolicy } from '../policy';
import type { NodeView, PodView } from '../views';

/** Deletion costs: the ReplicaSet controller removes the lowest cost first; 0 is also the default. */
export const BUSY_DELETION_COST = 1000;
/** An idle worker on a node that stays: removed after the other idle ones. */
export const IDLE_STAYING_DELETION_COST = 100;
export const IDLE_DELETION_COST = 0;
/** An idle worker on a node about to go (drain candidate, cordoned): removed first. */
export const IDLE_LEAVING_DELETION_COST = -100;

/** Where a worker's node is headed, as the node scaler's marks say. */
export type NodeOutlook = 'stays' | 'leaving' | 'other';

export function nodeOutlook(node: NodeView | undefined): NodeOutlook {
  if (node === undefined) return 'other';
  if (node.cordoned || hasDrainCandidateTaint(node)) return 'leaving';
  return node.labels[STAYS_LABEL] === 'true' ? 'stays' : 'other';
}

const IDLE_COST: Readonly<Record<NodeOutlook, { cost: number; why: string }>> = {
  leaving: { cost: IDLE_LEAVING_DELETION_COST, why: 'idle on a node about to go (drain candidate or cordoned), goes first' },
  other: { cost: IDLE_DELETION_COST, why: 'idle, goes before idle workers on nodes that stay' },
  stays: {
    cost: IDLE_STAYING_DELETION_COST,
    why: `idle on a node that stays (${STAYS_LABEL}), goes after other idle workers so the next long job starts there`,
  },
};

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
export function deletionCosts(order: WorkerPods, worker: WorkerPolicy, removing: number, outlook: (pod: PodView) => NodeOutlook): Action[] {
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
  for (const pod of order.idle) {
    const idle = IDLE_COST[outlook(pod)];
    set(pod, idle.cost, `${summary}: ${idle.why}`);
  }
  return actions;
}
