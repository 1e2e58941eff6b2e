import { describe, expect, it } from 'vitest';
import { jobPod } from '../../../core/evictability/job-pod';
import { buildPod, noController, ownedBy } from '../../builders/views';

const CTX = { protectLocalStorage: false };

describe("rule: a Job's pod blocks", () => {
  it.each([
    {
      name: "a Job's pod",
      pod: buildPod('batch-1', ownedBy('Job', 'nightly')),
      verdict: { kind: 'blocked', rule: 'job-pod', detail: 'belongs to Job nightly and would restart from scratch' },
    },
    { name: 'a ReplicaSet pod', pod: buildPod('web-1'), verdict: undefined },
    { name: 'a bare pod (another rule decides)', pod: buildPod('debug', noController), verdict: undefined },
  ])('$name → $verdict.rule', ({ pod, verdict }) => {
    expect(jobPod(pod, CTX)).toEqual(verdict);
  });
});
