// 8. A PDB that selects nothing protects nothing: usually a selector that drifted from the labels of
// the pods it was written for, which are then unprotected.

import { pdbRef, verdicts, type Check } from './kit';
import { selectedBy } from './pdb-selection';

export const pdbSelectsNothing: Check = {
  info: {
    number: 8,
    id: 'pdb-selects-nothing',
    title: 'PodDisruptionBudget selecting no pods',
    // The issue lists it with the blocking checks; it blocks nothing by itself, so it is advice.
    severity: 'advice',
    help: 'A PodDisruptionBudget whose selector matches no pod (a null selector, or labels no pod carries) protects nothing, and the workload it was written for is evicted without a budget. Correct the selector to the labels of the pods it is meant to protect, or delete it.',
  },
  pdb(pdb, _ctx, workloads) {
    const ns = pdb.object.metadata.namespace;
    // Without any workload of the namespace in the dump there is nothing to say it should match.
    if (!workloads.some((w) => w.ref.namespace === ns)) return [];
    if (selectedBy(pdb, workloads).workloads.length > 0) return [];
    const selector = pdb.object.spec?.selector ?? null;
    const ok = ['ok', 'the budget constrains nothing'] as ['ok', string];
    return [
      {
        message: `PodDisruptionBudget ${ns}/${pdb.object.metadata.name} selects no pod in the dump${selector === null ? ' (its selector is null)' : ''}`,
        evidence: [{ path: 'spec.selector', value: selector }],
        verdicts: verdicts({ 'graceful-scaler': ok, 'cluster-autoscaler': ok, karpenter: ok, descheduler: ok, drain: ok }),
        fix: {
          type: 'delete',
          target: pdbRef(pdb),
          description: 'delete it, or correct spec.selector to the labels of the pods it should protect',
        },
      },
    ];
  },
};
