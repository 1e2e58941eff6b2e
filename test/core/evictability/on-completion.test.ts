// Cases from cluster-autoscaler's own table: kubernetes/autoscaler, branch cluster-autoscaler-release-1.37,
// commit a16f0ae8b5578f09604371c75e0cad29ed794e59,
// cluster-autoscaler/simulator/drainability/rules/oncompletion/rule_test.go.

import { describe, expect, it } from 'vitest';
import { SAFE_TO_EVICT } from '../../../core/annotations';
import { onCompletion } from '../../../core/evictability/on-completion';
import { annotated, buildPod } from '../../builders/views';

const CTX = { protectLocalStorage: false };

describe('rule: safe-to-evict=on-completion waits for the pod to finish (WaitForCompletion)', () => {
  it.each([
    { name: 'regular pod', pod: buildPod('a'), verdict: undefined },
    {
      name: 'safe to evict on-completion pod',
      pod: buildPod('a', annotated({ [SAFE_TO_EVICT]: 'on-completion' })),
      verdict: { kind: 'wait', why: 'on-completion' },
    },
    { name: 'pod with true safe-to-evict annotation', pod: buildPod('a', annotated({ [SAFE_TO_EVICT]: 'true' })), verdict: undefined },
    { name: 'pod with false safe-to-evict annotation', pod: buildPod('a', annotated({ [SAFE_TO_EVICT]: 'false' })), verdict: undefined },
    {
      name: 'the value is exact, as in CA (On-Completion is no annotation)',
      pod: buildPod('a', annotated({ [SAFE_TO_EVICT]: 'On-Completion' })),
      verdict: undefined,
    },
  ])('$name', ({ pod, verdict }) => {
    expect(onCompletion(pod, CTX)).toEqual(verdict);
  });
});
