// The ReplicaSet controller: create or delete pods to match spec.replicas, deleting in Kubernetes'
// order (pod-deletion-order), and each ReplicaSet's status.

import { objectKey } from '../../object-store';
import { controllerOf, sameJson, type ReplicaSet } from '../../objects';
import { podsToDelete } from '../../pod-deletion-order';
import { PODS } from '../../resources';
import { podFromTemplate } from '../../workloads';
import { isActive, replicaSetStatus } from '../../workload-status';
import type { PodLifecycle } from '../pod-lifecycle';
import { podKeyOf, type ClusterState } from '../state';
import { withStatus, type StoreWrites } from '../writes';

export class ReplicaSetController {
  constructor(
    private readonly state: ClusterState,
    private readonly writes: StoreWrites,
    private readonly pods: PodLifecycle,
  ) {}

  sync(): void {
    const state = this.state;
    const keys = [...state.dirtyReplicaSets];
    state.dirtyReplicaSets.clear();
    for (const key of keys) {
      const rs = state.store.getByKey<ReplicaSet>('ReplicaSet', key);
      if (rs === undefined) continue;
      // Counted as pods are written: most rounds only a pod's readiness changed, and a walk over a
      // thousand replicas for that is what made the controllers slow.
      const activeCount = state.podIndex.replicas(rs.metadata.uid).active;
      const desired = rs.spec.replicas ?? 1;
      if (activeCount < desired) {
        for (let i = activeCount; i < desired; i++) this.createReplicaPod(rs);
      } else if (activeCount > desired) {
        const active = state.podsByKeys(state.podIndex.ownedBy(rs.metadata.uid)).filter(isActive);
        for (const pod of podsToDelete(active, active.length - desired, active, state.now())) this.pods.deletePod(podKeyOf(pod), undefined);
      }
      const status = replicaSetStatus(state.podIndex.replicas(rs.metadata.uid), rs.metadata.generation ?? 1);
      if (!sameJson(rs.status, status)) {
        state.store.put('ReplicaSet', withStatus(rs, status));
      }
      const owner = controllerOf(rs);
      if (owner?.kind === 'Deployment') state.dirtyDeployments.add(objectKey(rs.metadata.namespace, owner.name));
    }
  }

  private createReplicaPod(rs: ReplicaSet): void {
    let name: string;
    do name = `${rs.metadata.name}-${this.state.random.safeString(5)}`;
    while (this.state.store.get('Pod', rs.metadata.namespace, name) !== undefined);
    const pod = podFromTemplate(
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name, uid: rs.metadata.uid, namespace: rs.metadata.namespace },
      rs.spec.template,
      name,
    );
    this.writes.createObject(PODS, pod);
  }
}
