import { describe, expect, it } from 'vitest';
import { mirror } from '../../../core/evictability/mirror';
import { buildPod, daemon, mirrorPod } from '../../builders/views';

const CTX = { protectLocalStorage: false };

describe('rule: mirror pods are set aside', () => {
  it.each([
    { name: 'a mirror pod', pod: buildPod('etcd', mirrorPod), verdict: { kind: 'ignore', why: 'mirror' } },
    { name: 'a ReplicaSet pod', pod: buildPod('web-1'), verdict: undefined },
    { name: 'a DaemonSet pod', pod: buildPod('proxy', daemon), verdict: undefined },
  ])('$name → $verdict', ({ pod, verdict }) => {
    expect(mirror(pod, CTX)).toEqual(verdict);
  });
});
