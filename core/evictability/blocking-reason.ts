// Each refusal in cluster-autoscaler's words too (its drain.BlockingPodReason), so that an operator
// who knows `kubectl describe node` under cluster-autoscaler reads ours without a glossary. Where we
// are stricter than cluster-autoscaler (Job pods, do-not-disrupt), the nearest of its reasons is named.

import type { BlockRule } from './types';

export type BlockingPodReason =
  | 'ControllerNotFound'
  | 'MinReplicasReached'
  | 'NotReplicated'
  | 'LocalStorageRequested'
  | 'NotSafeToEvictAnnotation'
  | 'UnmovableKubeSystemPod'
  | 'NotEnoughPdb'
  | 'UnexpectedError';

export const BLOCKING_POD_REASON: Readonly<Record<BlockRule, BlockingPodReason>> = {
  'do-not-disrupt': 'NotSafeToEvictAnnotation',
  'safe-to-evict-false': 'NotSafeToEvictAnnotation',
  'no-controller': 'NotReplicated',
  'controller-not-found': 'ControllerNotFound',
  // cluster-autoscaler counts a Job's pod as replicated; we do not: a Job restarts it from scratch.
  'job-pod': 'NotReplicated',
  'kube-system-pod': 'UnmovableKubeSystemPod',
  'local-storage': 'LocalStorageRequested',
  'not-replicated': 'NotReplicated',
};

/** `no-controller, NotReplicated`: the project's rule, then cluster-autoscaler's reason. */
export function ruleInWords(rule: BlockRule): string {
  return `${rule}, ${BLOCKING_POD_REASON[rule]}`;
}
