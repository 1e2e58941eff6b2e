// The eviction rules that refuse a pod, as core/evictability names them.

import type { BlockRule } from '../../../core/evictability';

export { AUDIT_CHECK_OF_RULE, auditCheckSuffix } from '../../../core/audit';

const ALL: Record<BlockRule, true> = {
  'do-not-disrupt': true,
  'safe-to-evict-false': true,
  'no-controller': true,
  'job-pod': true,
  'local-storage': true,
  'not-replicated': true,
  'controller-not-found': true,
  'kube-system-pod': true,
};
export const EVICTION_RULES_COVERED = Object.keys(ALL);
