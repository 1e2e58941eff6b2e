// "May this pod be moved?" as an ordered list of tiny rules; the first decisive answer wins
// (cluster-autoscaler's drainability rules). Invariant 3 lives here: a pod is evicted only when a
// controller recreates it, it is not a Job's pod, and nobody marked it as not to be disrupted.

import type { PodView } from '../views';
import { EVICTION_RULES } from './rules';
import type { EvictionContext, PodVerdict } from './types';

export { BLOCKING_POD_REASON, ruleInWords, type BlockingPodReason } from './blocking-reason';
export { EVICTION_RULES } from './rules';
export type { BlockRule, EvictionContext, EvictionRule, PodVerdict } from './types';

const EVICTABLE: PodVerdict = { kind: 'evictable' };

export function podVerdict(pod: PodView, ctx: EvictionContext): PodVerdict {
  for (const rule of EVICTION_RULES) {
    const verdict = rule(pod, ctx);
    if (verdict) return verdict;
  }
  return EVICTABLE;
}

/** Pods that count towards the node scaler's pods-per-node metric. */
export function isWorkloadPod(pod: PodView): boolean {
  return !pod.daemonSet && !pod.mirror && pod.phase !== 'Succeeded' && pod.phase !== 'Failed';
}
