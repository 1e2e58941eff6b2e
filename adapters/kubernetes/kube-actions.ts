// The Kubernetes side of acting on a decision. Each call is idempotent: cordoning a cordoned node,
// evicting a pod already gone or setting a replica count twice does no harm.

import { DRAIN_REASON, DRAINING_SINCE, POD_DELETION_COST } from '../../core/annotations';
import type { EvictionOutcome, KubernetesActions } from '../../runner/ports';
import { MERGE_PATCH, statusOf, type Clients } from './clients';

export class KubernetesActionsAdapter implements KubernetesActions {
  constructor(private readonly clients: Clients) {}

  async cordon(node: string, drain: { since: string; reason: string }): Promise<void> {
    // One merge patch: the cordon and the annotations that explain it land together or not at all.
    await this.clients.core.patchNode(
      { name: node, body: { spec: { unschedulable: true }, metadata: { annotations: { [DRAINING_SINCE]: drain.since, [DRAIN_REASON]: drain.reason.slice(0, 1000) } } } },
      MERGE_PATCH,
    );
  }

  async uncordon(node: string): Promise<void> {
    await this.clients.core.patchNode(
      { name: node, body: { spec: { unschedulable: false }, metadata: { annotations: { [DRAINING_SINCE]: null, [DRAIN_REASON]: null } } } },
      MERGE_PATCH,
    );
  }

  async evict(namespace: string, pod: string): Promise<EvictionOutcome> {
    try {
      await this.clients.core.createNamespacedPodEviction({
        name: pod,
        namespace,
        body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod, namespace } },
      });
      return 'evicted';
    } catch (err) {
      // 429: a PodDisruptionBudget says not now. 404: already gone. Both are normal outcomes.
      const status = statusOf(err);
      if (status === 429) return 'refused-by-pdb';
      if (status === 404) return 'gone';
      throw err;
    }
  }

  async scale(namespace: string, deployment: string, replicas: number): Promise<void> {
    await this.clients.apps.patchNamespacedDeploymentScale({ name: deployment, namespace, body: { spec: { replicas } } }, MERGE_PATCH);
  }

  async setDeletionCost(namespace: string, pod: string, cost: number): Promise<void> {
    try {
      await this.clients.core.patchNamespacedPod({ name: pod, namespace, body: { metadata: { annotations: { [POD_DELETION_COST]: String(cost) } } } }, MERGE_PATCH);
    } catch (err) {
      if (statusOf(err) !== 404) throw err; // a pod gone meanwhile needs no cost
    }
  }
}
