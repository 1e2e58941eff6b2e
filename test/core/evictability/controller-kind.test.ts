import { describe, expect, it } from 'vitest';
import { controllerKind } from '../../../core/evictability/controller-kind';
import { buildPod, noController, ownedBy } from '../../builders/views';

const REPLICATED = { protectLocalStorage: false, controllerKinds: new Set(['ReplicaSet', 'StatefulSet']) };
const ANY = { protectLocalStorage: false };

describe('rule: only the controller kinds the caller allows', () => {
  it.each([
    {
      name: 'a ReplicationController pod for the descheduler',
      pod: buildPod('x', ownedBy('ReplicationController', 'legacy')),
      ctx: REPLICATED,
      verdict: {
        kind: 'blocked',
        rule: 'not-replicated',
        detail: 'owned by ReplicationController legacy, not by ReplicaSet or StatefulSet',
      },
    },
    { name: 'a ReplicaSet pod for the descheduler', pod: buildPod('web-1'), ctx: REPLICATED, verdict: undefined },
    {
      name: 'a StatefulSet pod for the descheduler',
      pod: buildPod('db-0', ownedBy('StatefulSet', 'db')),
      ctx: REPLICATED,
      verdict: undefined,
    },
    {
      name: 'any owner when the caller does not narrow',
      pod: buildPod('x', ownedBy('ReplicationController', 'legacy')),
      ctx: ANY,
      verdict: undefined,
    },
    { name: 'a bare pod (another rule decides)', pod: buildPod('debug', noController), ctx: REPLICATED, verdict: undefined },
  ])('$name → $verdict.rule', ({ pod, ctx, verdict }) => {
    expect(controllerKind(pod, ctx)).toEqual(verdict);
  });
});
