// Cases from cluster-autoscaler's own table: kubernetes/autoscaler, branch cluster-autoscaler-release-1.37,
// commit a16f0ae8b5578f09604371c75e0cad29ed794e59,
// cluster-autoscaler/simulator/drainability/rules/system/rule_test.go (bspDisruptionTimeout 1 min there),
// and the kube-system cases of cluster-autoscaler/simulator/drain_test.go (1h, our default).

import { describe, expect, it } from 'vitest';
import { SAFE_TO_EVICT } from '../../../core/annotations';
import { kubeSystemPod } from '../../../core/evictability/kube-system';
import type { PdbView } from '../../../core/views';
import { annotated, buildPdb, buildPod, inNamespace, labelled, noController, NOW, ownedByIn, podCreatedAt } from '../../builders/views';

const pdb = (namespace: string, selector: string | undefined): PdbView =>
  selector === undefined ? { namespace, name: 'pdb', selector: undefined, disruptionsAllowed: 1 } : buildPdb('pdb', selector, 1, namespace);
const EMPTY_PDB = pdb('clomo', undefined);
const KUBE_SYSTEM_PDB = pdb('kube-system', 'k8s-app=bar');
const KUBE_SYSTEM_FAKE_PDB = pdb('kube-system', 'k8s-app=foo');
const DEFAULT_NAMESPACE_PDB = pdb('clomo', 'k8s-app=PDB-managed-pod');

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const kubeSystemRcPod = (...more: Parameters<typeof buildPod>[1][]) =>
  buildPod(
    'kube-system-rc-pod',
    inNamespace('kube-system'),
    labelled({ 'k8s-app': 'bar' }),
    ownedByIn('ReplicationController', 'rc', ''),
    ...more,
  );
const rcPod = buildPod('rc-pod', ownedByIn('ReplicationController', 'rc', ''));
const ctx = (pdbs: PdbView[], timeoutMs = MINUTE) => ({ protectLocalStorage: false, pdbs, now: NOW, systemPodTimeoutMs: timeoutMs });
const BLOCKED = { kind: 'blocked', rule: 'kube-system-pod', detail: 'is a kube-system pod no PodDisruptionBudget covers' };

describe('rule: a kube-system pod without a PodDisruptionBudget stays (UnmovableKubeSystemPod)', () => {
  it.each([
    { name: 'empty PDB with RC-managed pod', pod: rcPod, pdbs: [EMPTY_PDB], verdict: undefined },
    { name: 'kube-system PDB with matching kube-system pod', pod: kubeSystemRcPod(), pdbs: [KUBE_SYSTEM_PDB], verdict: undefined },
    // The CA test leaves creationTimestamp zero: a pod whose age is unknown never ages out.
    {
      name: 'kube-system PDB with non-matching kube-system pod',
      pod: kubeSystemRcPod(podCreatedAt(0)),
      pdbs: [KUBE_SYSTEM_FAKE_PDB],
      verdict: BLOCKED,
    },
    { name: 'kube-system PDB with default namespace pod', pod: rcPod, pdbs: [KUBE_SYSTEM_PDB], verdict: undefined },
    {
      name: 'default namespace PDB with matching labels kube-system pod',
      pod: kubeSystemRcPod(podCreatedAt(0)),
      pdbs: [DEFAULT_NAMESPACE_PDB],
      verdict: BLOCKED,
    },
    {
      name: 'block non-pdb system pod existing for less than BspDisruptionTimeout',
      pod: kubeSystemRcPod(podCreatedAt(NOW - 59_000)),
      pdbs: [EMPTY_PDB],
      verdict: BLOCKED,
    },
    {
      name: 'allow non-pdb system pod existing for more than BspDisruptionTimeout',
      pod: kubeSystemRcPod(podCreatedAt(NOW - 61_000)),
      pdbs: [KUBE_SYSTEM_FAKE_PDB],
      verdict: undefined,
    },
  ])('$name', ({ pod, pdbs, verdict }) => {
    expect(kubeSystemPod(pod, ctx(pdbs))).toEqual(verdict);
  });

  it.each([
    {
      name: 'Kube-system no pdb system pods blocking (created 1h-1m ago)',
      pod: kubeSystemRcPod(podCreatedAt(NOW - HOUR + MINUTE)),
      verdict: BLOCKED,
    },
    {
      name: 'Kube-system no pdb system pods allowing (created 1h+1m ago)',
      pod: kubeSystemRcPod(podCreatedAt(NOW - HOUR - MINUTE)),
      verdict: undefined,
    },
    {
      name: 'kube-system pod with PodSafeToEvict annotation',
      pod: buildPod('a', inNamespace('kube-system'), noController, annotated({ [SAFE_TO_EVICT]: 'true' })),
      verdict: undefined,
    },
  ])('drain_test.go, at the default hour: $name', ({ pod, verdict }) => {
    expect(kubeSystemPod(pod, ctx([], HOUR))).toEqual(verdict);
  });

  it('never ages out without a clock or a timeout (the rule then blocks)', () => {
    expect(kubeSystemPod(kubeSystemRcPod(podCreatedAt(NOW - 48 * HOUR)), { protectLocalStorage: false })).toEqual(BLOCKED);
  });
});
