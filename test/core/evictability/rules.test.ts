// The ordered list: the first decisive rule wins, and a pod no rule objects to may be evicted.

import { describe, expect, it } from 'vitest';
import { DO_NOT_DISRUPT, SAFE_TO_EVICT, SAFE_TO_EVICT_LOCAL_VOLUMES } from '../../../core/annotations';
import { EVICTION_RULES, isWorkloadPod, podVerdict } from '../../../core/evictability';
import { controllerKind } from '../../../core/evictability/controller-kind';
import { controllerNotFound } from '../../../core/evictability/controller-not-found';
import { daemonSet } from '../../../core/evictability/daemonset';
import { doNotDisrupt } from '../../../core/evictability/do-not-disrupt';
import { finished } from '../../../core/evictability/finished';
import { jobPod } from '../../../core/evictability/job-pod';
import { kubeSystemPod } from '../../../core/evictability/kube-system';
import { localStorage } from '../../../core/evictability/local-storage';
import { mirror } from '../../../core/evictability/mirror';
import { noController as noControllerRule } from '../../../core/evictability/no-controller';
import { onCompletion } from '../../../core/evictability/on-completion';
import { safeToEvictFalse } from '../../../core/evictability/safe-to-evict';
import { terminating as terminatingRule } from '../../../core/evictability/terminating';
import { controllerKey, type ControllerNames } from '../../../core/views';
import {
  annotated,
  buildPod,
  daemon,
  deletingAt,
  inNamespace,
  localVolumes,
  mirrorPod,
  noController,
  NOW,
  ownedBy,
  ownedByIn,
  phase,
  podCreatedAt,
  terminating,
  withLocalStorage,
} from '../../builders/views';

const NODES = { protectLocalStorage: true };
const DESCHEDULER = { protectLocalStorage: false, controllerKinds: new Set(['ReplicaSet', 'StatefulSet']) };

describe('the eviction rules, in order', () => {
  it('are asked in this order', () => {
    expect(EVICTION_RULES).toEqual([
      mirror,
      controllerNotFound,
      daemonSet,
      finished,
      terminatingRule,
      doNotDisrupt,
      safeToEvictFalse,
      onCompletion,
      noControllerRule,
      jobPod,
      controllerKind,
      kubeSystemPod,
      localStorage,
    ]);
  });

  it.each([
    { name: 'a plain ReplicaSet pod may go', pod: buildPod('web-1'), ctx: NODES, verdict: { kind: 'evictable' } },
    {
      name: 'a finished DaemonSet pod is a DaemonSet pod first',
      pod: buildPod('proxy', daemon, phase('Succeeded')),
      ctx: NODES,
      verdict: { kind: 'ignore', why: 'daemonset' },
    },
    {
      name: 'a terminating pod marked do-not-disrupt is waited for',
      pod: buildPod('web-2', terminating, annotated({ [DO_NOT_DISRUPT]: 'true' })),
      ctx: NODES,
      verdict: { kind: 'terminating' },
    },
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
    {
      name: 'local storage does not stop the descheduler unless protected',
      pod: buildPod('web-4', withLocalStorage),
      ctx: DESCHEDULER,
      verdict: { kind: 'evictable' },
    },
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

// The integrated cases of cluster-autoscaler's GetPodsToMove: kubernetes/autoscaler, branch
// cluster-autoscaler-release-1.37, commit a16f0ae8b5578f09604371c75e0cad29ed794e59,
// cluster-autoscaler/simulator/drain_test.go (TestGetPodsToMove; default rules, local storage and
// system pods protected, 1h blocking-system-pod timeout), each with its outcome there and our verdict.
// Where we differ, `ca` says what cluster-autoscaler answers and docs/policy.md why.
describe("cluster-autoscaler's GetPodsToMove cases, with our verdicts", () => {
  const HOUR = 3_600_000;
  const exist = (...refs: [string, string][]) => refs.map(([kind, name]) => controllerKey(kind, 'clomo', name));
  const CONTROLLERS: ControllerNames = {
    kinds: new Set(['ReplicaSet', 'StatefulSet', 'Job', 'DaemonSet', 'ReplicationController']),
    names: new Set([
      ...exist(['DaemonSet', 'ds'], ['Job', 'job'], ['StatefulSet', 'ss'], ['ReplicationController', 'rc'], ['ReplicaSet', 'rs']),
      controllerKey('ReplicaSet', 'kube-system', 'rs'),
    ]),
  };
  const CA = { protectLocalStorage: true, controllers: CONTROLLERS, pdbs: [], now: NOW, systemPodTimeoutMs: HOUR };
  const rs = ownedByIn('ReplicaSet', 'rs', 'apps');
  const kubeSystem = inNamespace('kube-system');
  const EVICTABLE = { kind: 'evictable' };
  const block = (rule: string, detail: string) => ({ kind: 'blocked', rule, detail });
  const NAKED = block('no-controller', 'has no controller to recreate it');
  const SYSTEM = block('kube-system-pod', 'is a kube-system pod no PodDisruptionBudget covers');

  it.each([
    { name: 'Unreplicated pod', ca: 'NotReplicated', pod: buildPod('a', noController), verdict: NAKED },
    {
      name: 'Replicated pod (controllers not read)',
      ca: 'move',
      pod: buildPod('a', rs),
      ctx: { ...CA, controllers: undefined },
      verdict: EVICTABLE,
    },
    { name: 'Manifest pod', ca: 'skip', pod: buildPod('a', mirrorPod), verdict: { kind: 'ignore', why: 'mirror' } },
    {
      name: 'DaemonSet pod',
      ca: 'DaemonSet pod',
      pod: buildPod('a', ownedByIn('DaemonSet', 'ds', 'apps')),
      verdict: { kind: 'ignore', why: 'daemonset' },
    },
    {
      name: 'Kube-system (creation time unknown)',
      ca: 'UnmovableKubeSystemPod',
      pod: buildPod('a', kubeSystem, rs, podCreatedAt(0)),
      verdict: SYSTEM,
    },
    {
      name: 'Kube-system no pdb system pods blocking',
      ca: 'UnmovableKubeSystemPod',
      pod: buildPod('a', kubeSystem, rs, podCreatedAt(NOW - HOUR + 60_000)),
      verdict: SYSTEM,
    },
    {
      name: 'Kube-system no pdb system pods allowing',
      ca: 'move',
      pod: buildPod('a', kubeSystem, rs, podCreatedAt(NOW - HOUR - 60_000)),
      verdict: EVICTABLE,
    },
    {
      name: 'Local storage',
      ca: 'LocalStorageRequested',
      pod: buildPod('a', rs, localVolumes('scratch')),
      verdict: block('local-storage', 'uses local storage (emptyDir/hostPath)'),
    },
    { name: 'Non-local storage (gitRepo)', ca: 'move', pod: buildPod('a', rs), verdict: EVICTABLE },
    {
      name: 'Pod termination (deleted, not yet long)',
      ca: 'move',
      pod: buildPod('a', rs, deletingAt(NOW + 30_000)),
      verdict: { kind: 'terminating' },
    },
    { name: 'RC-managed pod', ca: 'move', pod: buildPod('a', ownedByIn('ReplicationController', 'rc', '')), verdict: EVICTABLE },
    // The projection marks the pod of a custom DaemonSet-like controller by its daemonset-pod: "true" annotation.
    {
      name: 'DS-managed pod by a custom Daemonset',
      ca: 'DaemonSet pod',
      pod: buildPod('a', ownedByIn('CustomDaemonSet', 'ds', 'crd'), (p) => void (p.daemonSet = true)),
      verdict: { kind: 'ignore', why: 'daemonset' },
    },
    // Ours is stricter: a Job restarts its pod from scratch.
    {
      name: 'Job-managed pod',
      ca: 'move',
      pod: buildPod('a', ownedByIn('Job', 'job', 'batch')),
      verdict: block('job-pod', 'belongs to Job job and would restart from scratch'),
    },
    { name: 'SS-managed pod', ca: 'move', pod: buildPod('a', ownedByIn('StatefulSet', 'ss', 'apps')), verdict: EVICTABLE },
    { name: 'RS-managed pod', ca: 'move', pod: buildPod('a', rs), verdict: EVICTABLE },
    {
      name: 'RS-managed pod that is being deleted',
      ca: 'skip (long terminating)',
      pod: buildPod('a', rs, deletingAt(NOW - HOUR)),
      verdict: { kind: 'terminating' },
    },
    {
      name: 'pod with EmptyDir and SafeToEvictLocalVolumesKey annotation with matching values',
      ca: 'move',
      pod: buildPod('a', rs, localVolumes('scratch-1', 'scratch-2'), annotated({ [SAFE_TO_EVICT_LOCAL_VOLUMES]: 'scratch-1,scratch-2' })),
      verdict: EVICTABLE,
    },
    { name: 'failed pod', ca: 'move', pod: buildPod('a', noController, phase('Failed')), verdict: { kind: 'ignore', why: 'finished' } },
    {
      name: 'pod in terminal state',
      ca: 'move',
      pod: buildPod('a', noController, phase('Succeeded')),
      verdict: { kind: 'ignore', why: 'finished' },
    },
    // Ours is stricter: safe-to-evict=true does not make a bare pod come back.
    {
      name: 'pod with PodSafeToEvict annotation',
      ca: 'move',
      pod: buildPod('a', noController, annotated({ [SAFE_TO_EVICT]: 'true' })),
      verdict: NAKED,
    },
    {
      name: 'kube-system pod with PodSafeToEvict annotation',
      ca: 'move',
      pod: buildPod('a', kubeSystem, noController, annotated({ [SAFE_TO_EVICT]: 'true' })),
      verdict: NAKED,
    },
    {
      name: 'kube-system RS pod with PodSafeToEvict annotation',
      ca: 'move',
      pod: buildPod('a', kubeSystem, rs, podCreatedAt(NOW), annotated({ [SAFE_TO_EVICT]: 'true' })),
      verdict: EVICTABLE,
    },
    {
      name: 'pod with safe-to-evict=on-completion annotation',
      ca: 'on-completion',
      pod: buildPod('a', noController, annotated({ [SAFE_TO_EVICT]: 'on-completion' })),
      verdict: { kind: 'wait', why: 'on-completion' },
    },
    {
      name: "a Job's pod asking to finish waits rather than blocks",
      ca: 'on-completion',
      pod: buildPod('a', ownedByIn('Job', 'job', 'batch'), annotated({ [SAFE_TO_EVICT]: 'on-completion' })),
      verdict: { kind: 'wait', why: 'on-completion' },
    },
    // The order's consequences (research notes, section 2).
    {
      name: 'DaemonSet pod marked safe-to-evict=false',
      ca: 'DaemonSet pod',
      pod: buildPod('a', ownedByIn('DaemonSet', 'ds', 'apps'), annotated({ [SAFE_TO_EVICT]: 'false' })),
      verdict: { kind: 'ignore', why: 'daemonset' },
    },
    {
      name: 'bare pod marked safe-to-evict=false',
      ca: 'NotReplicated',
      pod: buildPod('a', noController, annotated({ [SAFE_TO_EVICT]: 'false' })),
      verdict: block('safe-to-evict-false', `annotated ${SAFE_TO_EVICT}=false`),
    },
    // Ours is stricter: CA's system rule answers "drain ok" before safe-to-evict=false is asked.
    {
      name: 'old kube-system pod without PDB marked safe-to-evict=false',
      ca: 'move',
      pod: buildPod('a', kubeSystem, rs, podCreatedAt(NOW - 2 * HOUR), annotated({ [SAFE_TO_EVICT]: 'false' })),
      verdict: block('safe-to-evict-false', `annotated ${SAFE_TO_EVICT}=false`),
    },
    {
      name: 'orphaned DaemonSet pod',
      ca: 'ControllerNotFound',
      pod: buildPod('a', ownedByIn('DaemonSet', 'gone', 'apps')),
      verdict: block('controller-not-found', 'owned by DaemonSet gone, which no longer exists: nothing would recreate it'),
    },
  ])('$name (cluster-autoscaler: $ca)', ({ pod, ctx, verdict }) => {
    expect(podVerdict(pod, ctx ?? CA)).toEqual(verdict);
  });
});
