// Cases from cluster-autoscaler's own table: kubernetes/autoscaler, branch cluster-autoscaler-release-1.37,
// commit a16f0ae8b5578f09604371c75e0cad29ed794e59,
// cluster-autoscaler/simulator/drainability/rules/replicacount/rule_test.go (the existence checks;
// MinReplicasReached is not built: --min-replica-count defaults to 0 there, and we read no replica counts).

import { describe, expect, it } from 'vitest';
import { DAEMONSET_POD } from '../../../core/annotations';
import { controllerNotFound } from '../../../core/evictability/controller-not-found';
import { controllerKey, type ControllerNames } from '../../../core/views';
import { annotated, buildPod, deletingAt, noController, NOW, ownedByIn, phase } from '../../builders/views';

const KINDS = new Set(['ReplicaSet', 'StatefulSet', 'Job', 'DaemonSet', 'ReplicationController']);
const present = (...refs: [string, string][]): ControllerNames => ({
  kinds: KINDS,
  names: new Set(refs.map(([kind, name]) => controllerKey(kind, 'clomo', name))),
});
/** As in the CA test: the DaemonSet `ds`, Job `job` and StatefulSet `ss` always exist; `rc` and `rs` where the case lists them. */
const LISTERS = present(['DaemonSet', 'ds'], ['Job', 'job'], ['StatefulSet', 'ss'], ['ReplicationController', 'rc'], ['ReplicaSet', 'rs']);
const ctx = (controllers: ControllerNames | undefined) => ({ protectLocalStorage: false, controllers });
const blocked = (kind: string, name: string) => ({
  kind: 'blocked',
  rule: 'controller-not-found',
  detail: `owned by ${kind} ${name}, which no longer exists: nothing would recreate it`,
});

describe('rule: the controller must still exist (ControllerNotFound)', () => {
  it.each([
    { name: 'RC-managed pod', pod: buildPod('a', ownedByIn('ReplicationController', 'rc', '')), verdict: undefined },
    {
      name: 'RC-managed pod with missing reference',
      pod: buildPod('a', ownedByIn('ReplicationController', 'missing', '')),
      verdict: blocked('ReplicationController', 'missing'),
    },
    { name: 'DS-managed pod', pod: buildPod('a', ownedByIn('DaemonSet', 'ds', 'apps')), verdict: undefined },
    {
      name: 'DS-managed pod with missing reference',
      pod: buildPod('a', ownedByIn('DaemonSet', 'missing', 'apps')),
      verdict: blocked('DaemonSet', 'missing'),
    },
    { name: 'DS-managed pod by a custom API Group', pod: buildPod('a', ownedByIn('DaemonSet', 'ds', 'crd')), verdict: undefined },
    {
      name: 'DS-managed pod by a custom API Group with missing reference',
      pod: buildPod('a', ownedByIn('DaemonSet', 'missing', 'crd')),
      verdict: undefined,
    },
    {
      name: 'DS-managed pod by a custom Daemonset',
      pod: buildPod('a', ownedByIn('CustomDaemonSet', 'ds', 'crd'), annotated({ [DAEMONSET_POD]: 'true' })),
      verdict: undefined,
    },
    {
      name: 'DS-managed pod by a custom Daemonset with missing reference',
      pod: buildPod('a', ownedByIn('CustomDaemonSet', 'missing', 'crd'), annotated({ [DAEMONSET_POD]: 'true' })),
      verdict: undefined,
    },
    { name: 'Job-managed pod', pod: buildPod('a', ownedByIn('Job', 'job', 'batch')), verdict: undefined },
    {
      name: 'Job-managed pod with missing reference',
      pod: buildPod('a', ownedByIn('Job', 'missing', 'batch')),
      verdict: blocked('Job', 'missing'),
    },
    { name: 'SS-managed pod', pod: buildPod('a', ownedByIn('StatefulSet', 'ss', 'apps')), verdict: undefined },
    {
      name: 'SS-managed pod with missing reference',
      pod: buildPod('a', ownedByIn('StatefulSet', 'missing', 'apps')),
      verdict: blocked('StatefulSet', 'missing'),
    },
    {
      name: 'SS-managed pod by a custom API Group',
      pod: buildPod('a', ownedByIn('StatefulSet', 'ss', 'apps.kruise.io')),
      verdict: undefined,
    },
    {
      name: 'SS-managed pod by a custom API Group with missing reference',
      pod: buildPod('a', ownedByIn('StatefulSet', 'missing', 'apps.kruise.io')),
      verdict: undefined,
    },
    { name: 'RS-managed pod', pod: buildPod('a', ownedByIn('ReplicaSet', 'rs', 'apps')), verdict: undefined },
    {
      name: 'RS-managed pod that is being deleted',
      pod: buildPod('a', ownedByIn('ReplicaSet', 'rs', 'apps'), deletingAt(NOW - 3_600_000)),
      verdict: undefined,
    },
    {
      name: 'RS-managed pod with missing reference',
      pod: buildPod('a', ownedByIn('ReplicaSet', 'missing', 'apps')),
      verdict: blocked('ReplicaSet', 'missing'),
    },
    // Ours: a pod that is leaving or finished is not evicted by us, so nobody needs to recreate it.
    {
      name: 'terminating pod with missing reference (ours)',
      pod: buildPod('a', ownedByIn('ReplicaSet', 'missing', 'apps'), deletingAt(NOW)),
      verdict: undefined,
    },
    {
      name: 'succeeded pod with missing reference (ours)',
      pod: buildPod('a', ownedByIn('Job', 'missing', 'batch'), phase('Succeeded')),
      verdict: undefined,
    },
    { name: 'a view built by hand, group unknown, is judged by kind', pod: buildPod('web-1'), verdict: blocked('ReplicaSet', 'web-rs') },
    { name: 'a bare pod is for the no-controller rule', pod: buildPod('a', noController), verdict: undefined },
  ])('$name', ({ pod, verdict }) => {
    expect(controllerNotFound(pod, ctx(LISTERS))).toEqual(verdict);
  });

  it('is not applied when the controllers were not read (a plan dump without them)', () => {
    expect(controllerNotFound(buildPod('a', ownedByIn('ReplicaSet', 'missing', 'apps')), ctx(undefined))).toBeUndefined();
  });

  it('judges only the kinds that were read', () => {
    const onlyReplicaSets: ControllerNames = { kinds: new Set(['ReplicaSet']), names: new Set() };
    expect(controllerNotFound(buildPod('a', ownedByIn('StatefulSet', 'missing', 'apps')), ctx(onlyReplicaSets))).toBeUndefined();
    expect(controllerNotFound(buildPod('a', ownedByIn('ReplicaSet', 'missing', 'apps')), ctx(onlyReplicaSets))).toEqual(
      blocked('ReplicaSet', 'missing'),
    );
  });
});
