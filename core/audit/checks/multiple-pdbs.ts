// 6. The Eviction API refuses a pod that more than one PDB matches (HTTP 500, "This pod has more
// than one PodDisruptionBudget, which the eviction subresource does not support."): every
// disrupter that evicts is stuck on it.

import { pdbsFor } from '../context';
import { isEvicted, pdbRef, somePods, verdicts, type Check } from './kit';

export const multiplePdbs: Check = {
  info: {
    number: 6,
    id: 'multiple-pdbs',
    title: 'Pod matched by more than one PodDisruptionBudget',
    severity: 'blocks',
    help: 'The Eviction API answers 500 for a pod matched by more than one PodDisruptionBudget ("the eviction subresource does not support" it). Every disrupter that evicts (graceful-scaler, cluster-autoscaler, Karpenter, the descheduler, kubectl drain and AKS upgrades) fails on it and retries until it gives up. Keep exactly one PDB per pod.',
  },
  workload(w, ctx) {
    if (!isEvicted(w)) return [];
    const pdbs = pdbsFor(ctx, w).sort((a, b) => (a.object.metadata.name < b.object.metadata.name ? -1 : 1));
    if (pdbs.length < 2) return [];
    const names = pdbs.map((p) => p.object.metadata.name);
    const refused: ['refuses', string] = ['refuses', 'the Eviction API answers 500 (more than one PodDisruptionBudget)'];
    return [
      {
        message: `the pods of ${w.ref.kind} ${w.ref.namespace}/${w.ref.name} are matched by ${pdbs.length} PodDisruptionBudgets (${names.join(', ')}): no eviction can succeed`,
        evidence: pdbs.map((p) => ({
          path: 'spec.selector',
          value: p.object.spec?.selector ?? null,
          object: `PodDisruptionBudget ${p.object.metadata.namespace}/${p.object.metadata.name}`,
        })),
        pods: somePods(w),
        verdicts: verdicts({
          'graceful-scaler': refused,
          'cluster-autoscaler': refused,
          karpenter: refused,
          descheduler: refused,
          drain: refused,
        }),
        fix: {
          type: 'delete',
          target: pdbRef(pdbs[1]!),
          description: `keep one PodDisruptionBudget per pod: delete ${names.slice(1).join(', ')} (or narrow its selector)`,
        },
      },
    ];
  },
};
