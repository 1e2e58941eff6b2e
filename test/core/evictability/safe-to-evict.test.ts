import { describe, expect, it } from 'vitest';
import { SAFE_TO_EVICT } from '../../../core/annotations';
import { safeToEvictFalse } from '../../../core/evictability/safe-to-evict';
import { annotated, buildPod } from '../../builders/views';

const CTX = { protectLocalStorage: false };

describe('rule: safe-to-evict=false blocks', () => {
  it.each([
    {
      name: 'annotated false',
      pod: buildPod('web-1', annotated({ [SAFE_TO_EVICT]: 'false' })),
      verdict: { kind: 'blocked', rule: 'safe-to-evict-false', detail: 'annotated cluster-autoscaler.kubernetes.io/safe-to-evict=false' },
    },
    { name: 'annotated true', pod: buildPod('web-2', annotated({ [SAFE_TO_EVICT]: 'true' })), verdict: undefined },
    { name: 'not annotated', pod: buildPod('web-3'), verdict: undefined },
  ])('$name → $verdict.rule', ({ pod, verdict }) => {
    expect(safeToEvictFalse(pod, CTX)).toEqual(verdict);
  });
});
