// Every rule of ours names a reason of cluster-autoscaler's drain.BlockingPodReason
// (kubernetes/autoscaler, branch cluster-autoscaler-release-1.37, commit
// a16f0ae8b5578f09604371c75e0cad29ed794e59, cluster-autoscaler/utils/drain/drain.go), spelled as its String().

import { describe, expect, it } from 'vitest';
import { BLOCKING_POD_REASON, ruleInWords } from '../../../core/evictability';

describe("each refusal in cluster-autoscaler's words", () => {
  it.each([
    ['do-not-disrupt', 'NotSafeToEvictAnnotation'],
    ['safe-to-evict-false', 'NotSafeToEvictAnnotation'],
    ['no-controller', 'NotReplicated'],
    ['controller-not-found', 'ControllerNotFound'],
    ['job-pod', 'NotReplicated'],
    ['kube-system-pod', 'UnmovableKubeSystemPod'],
    ['local-storage', 'LocalStorageRequested'],
    ['not-replicated', 'NotReplicated'],
  ] as const)('%s → %s', (rule, reason) => {
    expect(BLOCKING_POD_REASON[rule]).toBe(reason);
    expect(ruleInWords(rule)).toBe(`${rule}, ${reason}`);
  });
});
