// How long things have waited, for the people and alerts watching the scaler: pods waiting for a
// node, and drains running longer than their pods' grace periods can explain.

import { podsOn } from '../cluster';
import type { NodeTick } from './tick';

/**
 * A drain may take its pods' longest grace period, the stop of the VM, and this for evictions paced by
 * the run's budgets and PodDisruptionBudgets; beyond that it is stuck (a PDB that never allows, a
 * finalizer, a VM that does not stop) and a person should look.
 */
export const DRAIN_ALLOWANCE_MS = 15 * 60_000;

export interface Ages {
  pendingPods: number;
  /** Age of the oldest pod waiting for a node (no node, phase Pending); undefined when none waits. */
  oldestPendingPodSeconds: number | undefined;
  /** Age of the oldest drain in progress; undefined when none runs. */
  oldestDrainSeconds: number | undefined;
  /** Drains older than their expected time (longest grace left + stop timeout + DRAIN_ALLOWANCE_MS). */
  overdueDrains: number;
}

export function measureAges(tick: NodeTick): Ages {
  const { now, index } = tick.input;
  let pendingPods = 0;
  let oldestPending: number | undefined;
  // The pods without a node were set aside by the index's one walk: a second walk over 150,000 pods
  // for the handful waiting would cost a sixth of the tick.
  for (const pod of index.unbound) {
    if (pod.phase !== 'Pending') continue;
    pendingPods++;
    oldestPending = Math.min(oldestPending ?? pod.createdAt, pod.createdAt);
  }
  let oldestDrain: number | undefined;
  let overdueDrains = 0;
  for (const [node, drain] of Object.entries(tick.memory.drains)) {
    const since = Date.parse(drain.since);
    if (!Number.isFinite(since)) continue;
    oldestDrain = Math.min(oldestDrain ?? since, since);
    let graceMs = 0;
    for (const pod of podsOn(index, node)) graceMs = Math.max(graceMs, pod.graceSeconds * 1000);
    if (now - since > graceMs + tick.policy.stopTimeoutMs + DRAIN_ALLOWANCE_MS) overdueDrains++;
  }
  const seconds = (t: number | undefined) => (t === undefined ? undefined : Math.max(0, Math.round((now - t) / 1000)));
  return { pendingPods, oldestPendingPodSeconds: seconds(oldestPending), oldestDrainSeconds: seconds(oldestDrain), overdueDrains };
}
