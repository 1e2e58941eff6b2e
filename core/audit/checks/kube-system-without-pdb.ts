// 5. cluster-autoscaler keeps a node with a kube-system pod that no PDB covers (skip-nodes-with-
// system-pods, default true on AKS): nobody said how many of it may be down at once.

import { pdbsFor } from '../context';
import { isEvicted, newPdb, somePods, verdicts, type Check } from './kit';

const CRITICAL = new Set(['system-cluster-critical', 'system-node-critical']);

export const kubeSystemWithoutPdb: Check = {
  info: {
    number: 5,
    id: 'kube-system-without-pdb',
    title: 'kube-system pod without a PodDisruptionBudget',
    severity: 'blocks',
    help: "cluster-autoscaler (skip-nodes-with-system-pods, default true, also on AKS) keeps a node that runs a non-DaemonSet kube-system pod no PodDisruptionBudget matches (UnmovableKubeSystemPod); from cluster-autoscaler 1.33 only during the pod's first hour (--blocking-system-pod-distruption-timeout). Give the workload a PodDisruptionBudget.",
  },
  workload(w, ctx) {
    if (w.ref.namespace !== 'kube-system' || !isEvicted(w) || pdbsFor(ctx, w).length > 0) return [];
    const critical = CRITICAL.has(w.template.spec.priorityClassName ?? '');
    return [
      {
        message: `${w.ref.kind} kube-system/${w.ref.name} has no PodDisruptionBudget: cluster-autoscaler keeps its node`,
        evidence: [
          { path: 'metadata.namespace', value: 'kube-system' },
          { path: 'PodDisruptionBudgets matching its pods', value: [] },
        ],
        pods: somePods(w),
        verdicts: verdicts({
          'graceful-scaler': ['ok', 'evicts it like any replicated pod'],
          'cluster-autoscaler': ['refuses', 'UnmovableKubeSystemPod (for its first hour from 1.33)'],
          karpenter: ['ok', 'evicts it'],
          descheduler: critical ? ['refuses', 'never evicts system-critical pods (evictSystemCriticalPods: false)'] : ['ok', 'evicts it'],
          drain: ['ok', 'evicts it'],
        }),
        fix: {
          type: 'create',
          manifest: newPdb(w, { maxUnavailable: 1 }),
          description: 'a PodDisruptionBudget allowing one pod down at a time',
        },
      },
    ];
  },
};
