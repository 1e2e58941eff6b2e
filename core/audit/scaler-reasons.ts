// graceful-scaler's refusals point at the audit check that explains them and says how to fix it:
// "node X kept: clomo/report-7f… has no controller to recreate it (audit check 1)".

import type { BlockRule } from '../evictability';

/** Eviction rule (core/evictability) → the audit check that covers it. Rules not listed have none. */
export const AUDIT_CHECK_OF_RULE: Readonly<Record<string, number>> = {
  'no-controller': 1,
  // The descheduler's narrowing to ReplicaSets and StatefulSets: pods of other controllers.
  'not-replicated': 2,
  'local-storage': 3,
  'safe-to-evict-false': 4,
  'do-not-disrupt': 4,
  'kube-system-pod': 5,
  // A controller that no longer exists recreates nothing: the pod is as bare as check 1's.
  'controller-not-found': 1,
  // A Job's pod restarts from scratch when evicted.
  'job-pod': 12,
} satisfies Record<BlockRule, number> & Record<string, number>;

/** ` (audit check 1)`, or '' when no check covers the rule: appended to a refusal's text. */
export function auditCheckSuffix(rule: string): string {
  const check = AUDIT_CHECK_OF_RULE[rule];
  return check === undefined ? '' : ` (audit check ${check})`;
}
