// The ordered list: the first decisive rule wins, and a pod no rule objects to may be evicted.

import { describe, expect, it } from 'vitest';
import { DO_NOT_DISRUPT, SAFE_TO_EVICT } from '../../../core/annotations';
import { EVICTION_RULES, isWorkloadPod, podVerdict } from '../../../core/evictability';
import { controllerKind } from '../../../core/evictability/controller-kind';
import { daemonSet } from '../../../core/evictability/daemonset';
import { doNotDisrupt } from '../../../core/evictability/do-not-disrupt';
import { finished } from '../../../core/evictability/finished';
import { jobPod } from '../../../core/evictability/job-pod';
import { localStorage } from '../../../core/evictability/local-storage';
import { mirror } from '../../../core/evictability/mirror';
import { noController as noControllerRule } from '../../../core/evictability/no-controller';
import { safeToEvictFalse } from '../../../core/evictability/safe-to-evict';
import { terminating as terminatingRule } from '../../../core/evictability/terminating';
import { annotated, buildPod, daemon, mirrorPod, noController, ownedBy, phase, terminating, withLocalStorage } from '../../builders/views';

const NODES = { protectLocalStorage: true };
const DESCHEDULER = { protectLocalStorage: false, controllerKinds: new Set(['ReplicaSet', 'StatefulSet']) };

describe('the eviction rules, in order', () => {
  it('are asked in this order', () => {
    expect(EVICTION_RULES).toEqual([mirror, daemonSet, finished, terminatingRule, doNotDisrupt, safeToEvictFalse, noControllerRule, jobPod, controllerKind, localStorage]);
  });

  it.each([
    { name: 'a plain ReplicaSet pod may go', pod: buildPod('web-1'), ctx: NODES, verdict: { kind: 'evictable' } },
    { name: 'a finished DaemonSet pod is a DaemonSet pod first', pod: buildPod('proxy', daemon, phase('Succeeded')), ctx: NODES, verdict: { kind: 'ignore', why: 'daemonset' } },
    { name: 'a terminating pod marked do-not-disrupt is waited for', pod: buildPod('web-2', terminating, annotated({ [DO_NOT_DISRUPT]: 'true' })), ctx: NODES, verdict: { kind: 'terminating' } },
    {
      name: 'do-not-disrupt is named before safe-to-evict=false',
      pod: buildPod('web-3', annotated({ [DO_NOT_DISRUPT]: 'true', [SAFE_TO_EVICT]: 'false' })),
      ctx: NODES,
      verdict: { kind: 'blocked', rule: 'do-not-disrupt', detail: 'annotated karpenter.sh/do-not-disrupt=true' },
    },
    {
      name: 'a bare pod with local storage has no controller first',
      pod: buildPod('debug', noController, withLocalStorage),
      ctx: NODES,
      verdict: { kind: 'blocked', rule: 'no-controller', detail: 'has no controller to recreate it' },
    },
    {
      name: "a Job's pod is a Job's pod for the descheduler too",
      pod: buildPod('batch-1', ownedBy('Job', 'nightly')),
      ctx: DESCHEDULER,
      verdict: { kind: 'blocked', rule: 'job-pod', detail: 'belongs to Job nightly and would restart from scratch' },
    },
    { name: 'a mirror pod is never moved', pod: buildPod('etcd', mirrorPod), ctx: DESCHEDULER, verdict: { kind: 'ignore', why: 'mirror' } },
    { name: 'local storage does not stop the descheduler unless protected', pod: buildPod('web-4', withLocalStorage), ctx: DESCHEDULER, verdict: { kind: 'evictable' } },
  ])('$name', ({ pod, ctx, verdict }) => {
    expect(podVerdict(pod, ctx)).toEqual(verdict);
  });

  it.each([
    ['a ReplicaSet pod', buildPod('web-1'), true],
    ['a DaemonSet pod', buildPod('proxy', daemon), false],
    ['a mirror pod', buildPod('etcd', mirrorPod), false],
    ['a Succeeded pod', buildPod('job-1', phase('Succeeded')), false],
    ['a Failed pod', buildPod('job-2', phase('Failed')), false],
    ['a terminating pod', buildPod('web-2', terminating), true],
  ])('%s counts as workload: %s', (_, pod, expected) => {
    expect(isWorkloadPod(pod)).toBe(expected);
  });
});
