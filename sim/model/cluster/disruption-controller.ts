// The disruption controller: a PodDisruptionBudget's status from the pods it selects now, refreshed
// whenever it is read or its members changed, like a controller that never falls behind.

import { expectedScale, pdbStatus, type ControllerScale } from '../disruption';
import { formatTime } from '../clock';
import {
  controllerOf,
  sameJson,
  type DeepReadonly,
  type Deployment,
  type OwnerReference,
  type Pod,
  type PodDisruptionBudget,
  type ReplicaSet,
} from '../objects';
import type { ClusterState } from './state';
import { withStatus } from './writes';

export class DisruptionController {
  constructor(private readonly state: ClusterState) {}

  /** The status of every budget whose members changed since it was last computed. */
  refreshStale(): void {
    for (const key of this.state.pdbIndex.staleKeys()) this.refresh(key);
  }

  /** One PDB's status from the pods it selects now (nothing to do when nothing changed). */
  refresh(key: string): void {
    const state = this.state;
    if (!state.pdbIndex.takeStale(key)) return;
    const pdb = state.store.getByKey<PodDisruptionBudget>('PodDisruptionBudget', key);
    if (pdb === undefined) return;
    const members = state.pdbIndex.members(key);
    const expected = (): number => {
      // Each controller's scale once; when one has none, the walk names the first pod it fails on.
      const scales = new Map<string, number>();
      for (const ref of members.controllers) {
        const scale = this.scaleOfController(pdb.metadata.namespace, ref);
        if (scale === 'unsupported') return expectedScale(state.podsByKeys(members.keys), (pod) => this.controllerScale(pod));
        if (scale !== 'unmanaged') scales.set(scale.uid, scale.replicas);
      }
      let total = 0;
      for (const replicas of scales.values()) total += replicas;
      return total;
    };
    const status = pdbStatus(pdb, { healthy: members.healthy, pods: members.keys.size, expected }, formatTime(state.now()));
    if (sameJson(pdb.status, status)) return;
    state.store.put('PodDisruptionBudget', withStatus(pdb, status));
  }

  private controllerScale(pod: DeepReadonly<Pod>): ControllerScale {
    const owner = controllerOf(pod);
    return owner === undefined ? 'unmanaged' : this.scaleOfController(pod.metadata.namespace, owner);
  }

  /** The scale of a pod's controller, from the controller reference it carries. */
  private scaleOfController(namespace: string, owner: DeepReadonly<OwnerReference>): ControllerScale {
    const store = this.state.store;
    if (owner.kind !== 'ReplicaSet') return 'unsupported';
    const rs = store.get<ReplicaSet>('ReplicaSet', namespace, owner.name);
    if (rs === undefined || rs.metadata.uid !== owner.uid) return 'unsupported';
    const rsOwner = controllerOf(rs);
    if (rsOwner?.kind === 'Deployment') {
      const deployment = store.get<Deployment>('Deployment', namespace, rsOwner.name);
      if (deployment === undefined) return 'unsupported';
      return { uid: deployment.metadata.uid, replicas: deployment.spec.replicas ?? 1 };
    }
    return { uid: rs.metadata.uid, replicas: rs.spec.replicas ?? 1 };
  }
}
