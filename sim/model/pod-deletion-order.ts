// Which pods a ReplicaSet deletes when it has too many: Kubernetes' ActivePodsWithRanks order
// (pkg/controller/controller_utils.go), the one the worker scaler's pod-deletion-cost relies on.
// Deleted first:
//   1. not yet on a node;  2. Pending, then Unknown, then Running;  3. not Ready;
//   4. the lower controller.kubernetes.io/pod-deletion-cost;
//   5. more pods of the same workload on its node ("doubled up");
//   6. Ready for less time (on a log2 scale: LogarithmicScaleDown), ties by uid;
//   7. more container restarts;  8. newer (log2 scale again), ties by uid.
// Deletion cost comes only after readiness: an unready busy worker still goes before a ready idle one.

import { POD_DELETION_COST } from '../../core/annotations';
import type { DeepReadonly, Pod } from './objects';
import { conditionOf, isPodReady } from './objects';
import { parseTime } from './clock';

export const DELETION_COST = POD_DELETION_COST;

const PHASE_ORDER: Readonly<Record<string, number>> = { Pending: 0, Unknown: 1, Running: 2 };

/** The annotation as an int32; absent or malformed counts as 0, as the controller reads it. */
export function deletionCost(pod: DeepReadonly<Pod>): number {
  const text = pod.metadata.annotations?.[DELETION_COST];
  if (text === undefined || !/^[+-]?\d+$/.test(text)) return 0;
  const value = Number(text);
  return value >= -2147483648 && value <= 2147483647 ? value : 0;
}

function readySince(pod: DeepReadonly<Pod>): number | undefined {
  const ready = conditionOf(pod.status.conditions, 'Ready');
  if (ready?.status !== 'True' || ready.lastTransitionTime === undefined) return undefined;
  return parseTime(ready.lastTransitionTime);
}

function restarts(pod: DeepReadonly<Pod>): number {
  let most = 0;
  for (const status of pod.status.containerStatuses ?? []) most = Math.max(most, status.restartCount);
  return most;
}

/** int64(log2(nanoseconds since t)), or -1 for a time not in the past. */
function logRank(t: number, now: number): number {
  const ns = (now - t) * 1e6;
  return ns > 0 ? Math.floor(Math.log2(ns)) : -1;
}

interface Ranked {
  pod: DeepReadonly<Pod>;
  colocated: number;
  ready: boolean;
  cost: number;
  /** Read once per pod, not once per comparison: a scale-down of a thousand replicas sorts them all. */
  readySince: number | undefined;
  restarts: number;
  created: number;
}

function compare(a: Ranked, b: Ranked, now: number): number {
  const nodeA = a.pod.spec.nodeName ?? '';
  const nodeB = b.pod.spec.nodeName ?? '';
  if (nodeA !== nodeB && (nodeA === '' || nodeB === '')) return nodeA === '' ? -1 : 1;
  const phaseA = PHASE_ORDER[a.pod.status.phase ?? 'Pending'] ?? 0;
  const phaseB = PHASE_ORDER[b.pod.status.phase ?? 'Pending'] ?? 0;
  if (phaseA !== phaseB) return phaseA - phaseB;
  if (a.ready !== b.ready) return a.ready ? 1 : -1;
  if (a.cost !== b.cost) return a.cost - b.cost;
  if (a.colocated !== b.colocated) return b.colocated - a.colocated;
  const byUid = (): number => (a.pod.metadata.uid < b.pod.metadata.uid ? -1 : a.pod.metadata.uid > b.pod.metadata.uid ? 1 : 0);
  if (a.ready && b.ready) {
    const sinceA = a.readySince;
    const sinceB = b.readySince;
    if (sinceA !== sinceB) {
      // A pod with no ready time sorts first (afterOrZero).
      if (sinceA === undefined || sinceB === undefined) return sinceA === undefined ? -1 : 1;
      const diff = logRank(sinceA, now) - logRank(sinceB, now);
      return diff !== 0 ? diff : byUid();
    }
  }
  const restartDiff = b.restarts - a.restarts;
  if (restartDiff !== 0) return restartDiff;
  const createdA = a.created;
  const createdB = b.created;
  if (createdA !== createdB) {
    const diff = logRank(createdA, now) - logRank(createdB, now);
    return diff !== 0 ? diff : byUid();
  }
  return 0;
}

/**
 * The `count` pods of `active` to delete, in deletion order. `related` are the active pods of the
 * whole workload (for the "doubled up" rank); `now` is the simulated time in epoch ms.
 */
export function podsToDelete(
  active: readonly DeepReadonly<Pod>[],
  count: number,
  related: readonly DeepReadonly<Pod>[],
  now: number,
): DeepReadonly<Pod>[] {
  if (count <= 0) return [];
  const perNode = new Map<string, number>();
  for (const pod of related) {
    const node = pod.spec.nodeName ?? '';
    perNode.set(node, (perNode.get(node) ?? 0) + 1);
  }
  const ranked: Ranked[] = active.map((pod) => ({
    pod,
    colocated: perNode.get(pod.spec.nodeName ?? '') ?? 0,
    ready: isPodReady(pod),
    cost: deletionCost(pod),
    readySince: readySince(pod),
    restarts: restarts(pod),
    created: parseTime(pod.metadata.creationTimestamp) ?? 0,
  }));
  // The controller sorts only when it deletes fewer than all.
  if (count < ranked.length) ranked.sort((a, b) => compare(a, b, now));
  return ranked.slice(0, count).map((r) => r.pod);
}
