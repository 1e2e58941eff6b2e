// The Kubernetes side of acting on a decision. Each call is idempotent: cordoning a cordoned node,
// evicting a pod already gone, setting a replica count or a node mark twice does no harm, so each is retried
// through Clients.call when it failed transiently (even when its answer was lost after it was applied).

import { DRAIN_REASON, DRAINING_SINCE, POD_DELETION_COST } from '../../core/annotations';
import type { NodeMark } from '../../core/decision';
import type { EvictionOutcome, KubernetesActions, MarkOutcome } from '../../runner/ports';
import { MERGE_PATCH, statusOf, type Clients } from './clients';
import { markPatch } from './node-marks';

export class KubernetesActionsAdapter implements KubernetesActions {
  constructor(private readonly clients: Clients) {}

  async cordon(node: string, drain: { since: string; reason: string }): Promise<void> {
    // One merge patch: the cordon and the annotations that explain it land together or not at all.
    await this.clients.call(`cordon ${node}`, () =>
      this.clients.core.patchNode(
        {
          name: node,
          body: {
            spec: { unschedulable: true },
            metadata: { annotations: { [DRAINING_SINCE]: drain.since, [DRAIN_REASON]: drain.reason.slice(0, 1000) } },
          },
        },
        MERGE_PATCH,
      ),
    );
  }

  async uncordon(node: string): Promise<void> {
    await this.clients.call(`uncordon ${node}`, () =>
      this.clients.core.patchNode(
        {
          name: node,
          body: { spec: { unschedulable: false }, metadata: { annotations: { [DRAINING_SINCE]: null, [DRAIN_REASON]: null } } },
        },
        MERGE_PATCH,
      ),
    );
  }

  async evict(namespace: string, pod: string): Promise<EvictionOutcome> {
    try {
      // A 429 is a PDB's "not now", an answer, not a fault: retried next tick, not here.
      await this.clients.call(`evict ${namespace}/${pod}`, async () => {
        try {
          return await this.clients.core.createNamespacedPodEviction({
            name: pod,
            namespace,
            body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod, namespace } },
          });
        } catch (err) {
          throw statusOf(err) === 429 ? new PdbRefusal(err) : err;
        }
      });
      return 'evicted';
    } catch (err) {
      // 429: a PodDisruptionBudget says not now. 404: already gone. Both are normal outcomes.
      if (err instanceof PdbRefusal) return 'refused-by-pdb';
      const status = statusOf(err);
      if (status === 404) return 'gone';
      throw err;
    }
  }

  async scale(namespace: string, deployment: string, replicas: number): Promise<void> {
    await this.clients.call(`scale ${namespace}/${deployment}`, () =>
      this.clients.apps.patchNamespacedDeploymentScale({ name: deployment, namespace, body: { spec: { replicas } } }, MERGE_PATCH),
    );
  }

  async setDeletionCost(namespace: string, pod: string, cost: number): Promise<void> {
    try {
      await this.clients.call(`set the deletion cost of ${namespace}/${pod}`, () =>
        this.clients.core.patchNamespacedPod(
          { name: pod, namespace, body: { metadata: { annotations: { [POD_DELETION_COST]: String(cost) } } } },
          MERGE_PATCH,
        ),
      );
    } catch (err) {
      if (statusOf(err) !== 404) throw err; // a pod gone meanwhile needs no cost
    }
  }

  async markNode(node: string, mark: NodeMark, set: boolean, at: number): Promise<MarkOutcome> {
    // Listed by name (the ClusterRole grants list and patch on nodes, no get), then patched only if
    // the mark differs, conditionally on the resourceVersion just read (node-marks.ts).
    const list = await this.clients.call(`read node ${node}`, () => this.clients.core.listNode({ fieldSelector: `metadata.name=${node}` }));
    const found = list.items[0];
    if (found === undefined) return 'gone';
    const body = markPatch(found, mark, set, at);
    if (body === undefined) return 'unchanged';
    try {
      await this.clients.call(`mark node ${node} (${mark})`, () => this.clients.core.patchNode({ name: node, body }, MERGE_PATCH));
      return 'marked';
    } catch (err) {
      // 409: the node changed since it was read (or a lost answer's retry found our own write): the next tick reads it again.
      const status = statusOf(err);
      if (status === 409) return 'conflict';
      if (status === 404) return 'gone';
      throw err;
    }
  }
}

/** A PodDisruptionBudget's 429 on an eviction, kept apart from the 429s of an overloaded API server. */
class PdbRefusal extends Error {
  constructor(cause: unknown) {
    super('a PodDisruptionBudget refused the eviction', { cause });
  }
}
