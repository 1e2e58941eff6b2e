import { describe, expect, it } from 'vitest';
import { DO_NOT_DISRUPT } from '../../../core/annotations';
import { doNotDisrupt } from '../../../core/evictability/do-not-disrupt';
import { annotated, buildPod } from '../../builders/views';

const CTX = { protectLocalStorage: false };

describe('rule: do-not-disrupt=true blocks', () => {
  it.each([
    {
      name: 'annotated true',
      pod: buildPod('web-1', annotated({ [DO_NOT_DISRUPT]: 'true' })),
      verdict: { kind: 'blocked', rule: 'do-not-disrupt', detail: 'annotated karpenter.sh/do-not-disrupt=true' },
    },
    { name: 'annotated false', pod: buildPod('web-2', annotated({ [DO_NOT_DISRUPT]: 'false' })), verdict: undefined },
    { name: 'not annotated', pod: buildPod('web-3'), verdict: undefined },
  ])('$name → $verdict.rule', ({ pod, verdict }) => {
    expect(doNotDisrupt(pod, CTX)).toEqual(verdict);
  });
});
