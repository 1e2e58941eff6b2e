// 10. A replicated workload without a PDB may lose every replica to one drain wave; a single replica
// is down from its eviction until its replacement is Ready.

import { pdbsFor } from '../context';
import { isEvicted, newPdb, somePods, verdicts, type Check, type Draft } from './kit';

const REPLICATED = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController']);

export const noPdbOrSingleReplica: Check = {
  info: {
    number: 10,
    id: 'no-pdb-or-single-replica',
    title: 'Replicated workload with no PodDisruptionBudget, or a single replica',
    severity: 'not-graceful',
    help: "Without a PodDisruptionBudget nothing stops a drain wave (an AKS upgrade's surge, cluster-autoscaler or Karpenter removing several nodes, the descheduler) from evicting every replica at once. With a single replica every eviction is an outage until the replacement is Ready. Give it a PodDisruptionBudget (maxUnavailable: 1) and at least two replicas.",
  },
  workload(w, ctx) {
    if (!REPLICATED.has(w.shape) || !isEvicted(w) || (w.replicas ?? 0) < 1) return [];
    const out: Draft[] = [];
    const pdbs = pdbsFor(ctx, w);
    const disrupts = (why: string) =>
      verdicts({
        'graceful-scaler': ['disrupts', why],
        'cluster-autoscaler': ['disrupts', why],
        karpenter: ['disrupts', why],
        descheduler: ['disrupts', why],
        drain: ['disrupts', why],
      });
    // kube-system workloads without a PDB are check 5's.
    if (pdbs.length === 0 && w.ref.namespace !== 'kube-system') {
      out.push({
        message: `${w.ref.kind} ${w.ref.namespace}/${w.ref.name} (${w.replicas} replica(s)) has no PodDisruptionBudget: a drain may take all its pods at once`,
        evidence: [
          { path: 'PodDisruptionBudgets matching its pods', value: [] },
          { path: 'spec.replicas', value: w.replicas },
        ],
        pods: somePods(w),
        verdicts: disrupts('nothing limits how many of its pods are evicted at once'),
        fix: {
          type: 'create',
          manifest: newPdb(w, { maxUnavailable: 1 }),
          description: 'a PodDisruptionBudget allowing one pod down at a time',
        },
      });
    }
    if (w.replicas === 1) {
      out.push({
        message: `${w.ref.kind} ${w.ref.namespace}/${w.ref.name} runs a single replica: each eviction is an outage until its replacement is Ready`,
        evidence: [{ path: 'spec.replicas', value: 1 }],
        pods: somePods(w),
        verdicts: disrupts('evicting the only replica stops the service until the new one is Ready'),
        fix: { type: 'merge', target: w.ref, patch: { spec: { replicas: 2 } }, description: 'run two replicas' },
      });
    }
    return out;
  },
};
