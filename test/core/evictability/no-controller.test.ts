import { describe, expect, it } from 'vitest';
import { noController as noControllerRule } from '../../../core/evictability/no-controller';
import { buildPod, noController, ownedBy } from '../../builders/views';

const CTX = { protectLocalStorage: false };

describe('rule: a pod nobody recreates blocks', () => {
  it.each([
    {
      name: 'a bare pod',
      pod: buildPod('debug', noController),
      verdict: { kind: 'blocked', rule: 'no-controller', detail: 'has no controller to recreate it' },
    },
    { name: 'a ReplicaSet pod', pod: buildPod('web-1'), verdict: undefined },
    { name: 'a StatefulSet pod', pod: buildPod('db-0', ownedBy('StatefulSet', 'db')), verdict: undefined },
  ])('$name → $verdict.rule', ({ pod, verdict }) => {
    expect(noControllerRule(pod, CTX)).toEqual(verdict);
  });
});
