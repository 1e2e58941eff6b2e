// The invariants a strategy must keep, checked where they can break: no VM stopped with workload
// pods on it, no protected (batch) node cordoned, no batch Job's pod interrupted. (The schedule's
// minimum is measured each step: see measures.ts.)

import type { SimCluster } from '../model/cluster';
import { BATCH_LABEL, workloadPodsOn, type World } from './world';

export interface Violation {
  at: number;
  kind:
    | 'stopped-with-workload'
    | 'protected-node-drained'
    | 'below-minimum'
    | 'batch-interrupted'
    // what the fault soak checks besides (soak-checks.ts)
    | 'bg-job-interrupted'
    | 'protected-node-touched'
    | 'cordon-left-behind'
    | 'pod-pending-too-long'
    | 'memory-unreadable'
    // a request of the scaler that RBAC refused (authorized-ports.ts)
    | 'forbidden';
  detail: string;
}

/** Hooks the checks into the world's ports and cluster; what breaks is pushed to `violations`. */
export function watchInvariants(world: Pick<World, 'cluster' | 'vms' | 'actions'>, violations: Violation[]): void {
  const { cluster, vms, actions } = world;
  vms.beforeDeallocate = (node) => {
    const pods = workloadPodsOn(cluster, node.name);
    if (pods.length > 0) {
      violations.push({
        at: cluster.now(),
        kind: 'stopped-with-workload',
        detail: `${node.name} stopped with ${pods.length} workload pod(s): ${pods
          .slice(0, 3)
          .map((p) => p.metadata.name)
          .join(', ')}`,
      });
    }
  };
  const cordon = actions.cordon.bind(actions);
  actions.cordon = async (node, drain) => {
    const labels = cluster.node(node)?.metadata.labels ?? {};
    if (labels[BATCH_LABEL] !== undefined)
      violations.push({ at: cluster.now(), kind: 'protected-node-drained', detail: `${node} (${BATCH_LABEL}) cordoned: ${drain.reason}` });
    return cordon(node, drain);
  };
  watchBatchJobs(cluster, violations);
}

function watchBatchJobs(cluster: SimCluster, violations: Violation[]): void {
  cluster.subscribe({
    interrupted(i) {
      if (i.owner?.kind === 'Job')
        violations.push({ at: i.at, kind: 'batch-interrupted', detail: `${i.namespace}/${i.name} on ${i.node ?? '?'}: ${i.cause}` });
    },
  });
}
