import { describe, expect, it } from 'vitest';
import { daemonSet } from '../../../core/evictability/daemonset';
import { buildPod, daemon, mirrorPod } from '../../builders/views';

const CTX = { protectLocalStorage: false };

describe('rule: DaemonSet pods are set aside', () => {
  it.each([
    { name: 'a DaemonSet pod', pod: buildPod('proxy', daemon), verdict: { kind: 'ignore', why: 'daemonset' } },
    { name: 'a ReplicaSet pod', pod: buildPod('web-1'), verdict: undefined },
    { name: 'a mirror pod', pod: buildPod('etcd', mirrorPod), verdict: undefined },
  ])('$name → $verdict', ({ pod, verdict }) => {
    expect(daemonSet(pod, CTX)).toEqual(verdict);
  });
});
