// Helpers shared by the simulated-cluster suites: a small AKS cluster, the pods of a Deployment,
// and a pinned simulated clock.

import { aksPod } from './aks';
import { SimCluster, type AksClusterOptions } from '../../sim/model/cluster';
import type { DeepReadonly, Pod } from '../../sim/model/objects';

/** 2026-11-01T00:00:00Z, the simulated start (also the builders' DEFAULT_TIME). */
export const START = Date.parse('2026-11-01T00:00:00Z');
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;

export { aksPod };

/** system (1 node), user (`user` nodes, Deallocate mode), batch (1 protected node). */
export function smallCluster(user = 3, options: Partial<AksClusterOptions> = {}): SimCluster {
  return SimCluster.aks({
    seed: 7,
    pools: [
      { name: 'system', mode: 'System', count: 1, taints: ['CriticalAddonsOnly=true:NoSchedule'] },
      { name: 'user', count: user, scaleDownMode: 'Deallocate' },
      { name: 'batch', count: 1, labels: { 'clomo/BatchDeployable': 'true' }, taints: ['clomo/BatchDeployable=true:NoSchedule'] },
    ],
    ...options,
  });
}

export function names(pods: readonly DeepReadonly<Pod>[]): string[] {
  return pods.map((p) => p.metadata.name).sort();
}

/** The pods of a Deployment (by its app label) that are not being deleted. */
export function livePods(cluster: SimCluster, namespace: string, app: string): DeepReadonly<Pod>[] {
  return [...cluster.pods()].filter(
    (p) => p.metadata.namespace === namespace && p.metadata.labels?.app === app && p.metadata.deletionTimestamp === undefined,
  );
}
