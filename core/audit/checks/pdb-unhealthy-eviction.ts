// 18. Without unhealthyPodEvictionPolicy: AlwaysAllow a PDB also shields pods that are not Ready
// (crash-looping, stuck): a drain waits for pods that will never become healthy.

import { pdbRef, verdicts, type Check } from './kit';
import { selectedBy } from './pdb-selection';

export const pdbUnhealthyEviction: Check = {
  info: {
    number: 18,
    id: 'pdb-unhealthy-eviction',
    title: 'PodDisruptionBudget without unhealthyPodEvictionPolicy: AlwaysAllow',
    severity: 'not-graceful',
    help: 'With the default policy (IfHealthyBudget) a pod that is running but not Ready may be evicted only while the application is within its budget: a crash-looping or stuck pod can hold a node drain until the drain times out. The Kubernetes documentation recommends AlwaysAllow, so that misbehaving pods can be evicted during a drain (Kubernetes >= 1.27, GA in 1.31).',
  },
  pdb(pdb, _ctx, workloads) {
    const policy = pdb.object.spec?.unhealthyPodEvictionPolicy as string | undefined;
    if (policy === 'AlwaysAllow' || selectedBy(pdb, workloads).workloads.length === 0) return [];
    const waits = ['refuses', 'evictions of not-Ready pods get 429 while the budget is short'] as ['refuses', string];
    return [
      {
        message: `PodDisruptionBudget ${pdb.object.metadata.namespace}/${pdb.object.metadata.name} keeps not-Ready pods from eviction while the budget is short (unhealthyPodEvictionPolicy ${policy ?? 'unset: IfHealthyBudget'})`,
        evidence: [{ path: 'spec.unhealthyPodEvictionPolicy', value: policy ?? null }],
        verdicts: verdicts({
          'graceful-scaler': waits,
          'cluster-autoscaler': waits,
          karpenter: waits,
          descheduler: waits,
          drain: ['refuses', 'kubectl drain retries; an AKS upgrade fails after its drain timeout'],
        }),
        fix: {
          type: 'merge',
          target: pdbRef(pdb),
          patch: { spec: { unhealthyPodEvictionPolicy: 'AlwaysAllow' } },
          description: 'let pods that are not Ready be evicted',
        },
      },
    ];
  },
};
