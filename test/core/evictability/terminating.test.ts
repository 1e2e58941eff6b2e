import { describe, expect, it } from 'vitest';
import { terminating as terminatingRule } from '../../../core/evictability/terminating';
import { buildPod, grace, terminating } from '../../builders/views';

const CTX = { protectLocalStorage: false };

describe('rule: a terminating pod is waited for', () => {
  it.each([
    { name: 'a terminating pod', pod: buildPod('web-1', terminating), verdict: { kind: 'terminating' } },
    { name: 'a terminating pod with a 20-hour grace', pod: buildPod('bg-1', terminating, grace(72000)), verdict: { kind: 'terminating' } },
    { name: 'a running pod', pod: buildPod('web-2'), verdict: undefined },
  ])('$name → $verdict', ({ pod, verdict }) => {
    expect(terminatingRule(pod, CTX)).toEqual(verdict);
  });
});
