// The Deployment controller: one ReplicaSet per Deployment while its template stays as it is (its
// scale and the status, and the adoption of a ReplicaSet an imported Deployment's pods name but
// nobody stored); a changed template hands the Deployment to its rollout (rollouts.ts).

import { matchesSelector, selectorFromKubernetes } from '../../../../core/selector';
import { formatTime } from '../../clock';
import { objectKey } from '../../object-store';
import { cloneJson, controllerOf, sameJson, type Deployment, type ReplicaSet } from '../../objects';
import { REPLICA_SETS } from '../../resources';
import { replicaSetFor, templateHash } from '../../workloads';
import { deploymentStatus } from '../../workload-status';
import type { ClusterState } from '../state';
import { Rollouts } from './rollouts';
import { withStatus, type StoreWrites } from '../writes';

export class DeploymentController {
  private readonly rollouts: Rollouts;

  constructor(
    private readonly state: ClusterState,
    private readonly writes: StoreWrites,
  ) {
    this.rollouts = new Rollouts(state, writes);
  }

  sync(): void {
    const state = this.state;
    const keys = [...state.dirtyDeployments];
    state.dirtyDeployments.clear();
    for (const key of keys) {
      const deployment = state.store.getByKey<Deployment>('Deployment', key);
      if (deployment === undefined) continue;
      if (this.rollouts.owns(key, deployment)) {
        this.rollouts.sync(deployment);
        continue;
      }
      const replicas = deployment.spec.replicas ?? 1;
      let rs = this.replicaSetOf(deployment);
      if (rs === undefined) {
        const created = replicaSetFor(deployment, templateHash(deployment.spec.template));
        rs = this.writes.createObject(REPLICA_SETS, created) as ReplicaSet;
        state.replicaSetOfDeployment.set(key, objectKey(rs.metadata.namespace, rs.metadata.name));
      } else if (rs.spec.replicas !== replicas) {
        const next = cloneJson(rs);
        next.spec.replicas = replicas;
        next.metadata.annotations = { ...next.metadata.annotations, 'deployment.kubernetes.io/desired-replicas': String(replicas) };
        rs = this.writes.updateObject(REPLICA_SETS, rs, next) as ReplicaSet;
      }
      const status = deploymentStatus(deployment, rs, formatTime(state.now()));
      if (!sameJson(deployment.status, status)) {
        state.store.put('Deployment', withStatus(deployment, status));
      }
    }
  }

  /** The Deployment's ReplicaSet; adopts one that only exists through its pods' owner references (an import). */
  private replicaSetOf(deployment: Deployment): ReplicaSet | undefined {
    const state = this.state;
    const key = objectKey(deployment.metadata.namespace, deployment.metadata.name);
    const known = state.replicaSetOfDeployment.get(key);
    if (known !== undefined) {
      const rs = state.store.getByKey<ReplicaSet>('ReplicaSet', known);
      if (rs !== undefined) return rs;
    }
    for (const rs of state.store.page('ReplicaSet', { namespace: deployment.metadata.namespace }).items) {
      if (controllerOf(rs)?.uid === deployment.metadata.uid) {
        state.replicaSetOfDeployment.set(key, objectKey(rs.metadata.namespace, rs.metadata.name));
        return rs as ReplicaSet;
      }
    }
    if (!state.adoptable.delete(key)) return undefined;
    const selector = selectorFromKubernetes(deployment.spec.selector);
    if (selector === undefined) return undefined;
    for (const pod of state.store.page('Pod', { namespace: deployment.metadata.namespace }).items) {
      const owner = controllerOf(pod);
      if (owner?.kind !== 'ReplicaSet' || !owner.name.startsWith(`${deployment.metadata.name}-`)) continue;
      if (!matchesSelector(selector, pod.metadata.labels ?? {})) continue;
      if (state.store.get('ReplicaSet', deployment.metadata.namespace, owner.name) !== undefined) continue;
      const hash = owner.name.slice(deployment.metadata.name.length + 1);
      const adopted = replicaSetFor(deployment, hash);
      adopted.metadata.uid = owner.uid;
      adopted.metadata.creationTimestamp = formatTime(state.now());
      adopted.metadata.generation = 1;
      const stored = this.writes.writeObject(REPLICA_SETS, undefined, adopted) as ReplicaSet;
      state.replicaSetOfDeployment.set(key, objectKey(stored.metadata.namespace, stored.metadata.name));
      return stored;
    }
    return undefined;
  }
}
