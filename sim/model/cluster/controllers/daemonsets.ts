// The DaemonSet controller: one pod of each DaemonSet on every node, bound there directly (no
// scheduler), and each DaemonSet's status.

import { formatTime } from '../../clock';
import { controllerOf, isTerminal, sameJson, type Pod, type ReplicaSet } from '../../objects';
import { markScheduled } from '../../pod-status';
import { PODS } from '../../resources';
import { podFromTemplate } from '../../workloads';
import { daemonSetStatus } from '../../workload-status';
import type { PodLifecycle } from '../pod-lifecycle';
import { podKeyOf, type ClusterState } from '../state';
import { withStatus, type StoreWrites } from '../writes';

const DS_POD_TOLERATIONS = [{ operator: 'Exists' as const }];

export class DaemonSetController {
  constructor(
    private readonly state: ClusterState,
    private readonly writes: StoreWrites,
    private readonly pods: PodLifecycle,
  ) {}

  /** Creates the node's missing DaemonSet pods. */
  ensurePods(nodeName: string): void {
    const state = this.state;
    const present = new Set<string>();
    for (const pod of state.podsOnNode(nodeName)) {
      const owner = controllerOf(pod);
      if (owner?.kind === 'DaemonSet' && pod.metadata.deletionTimestamp === undefined && !isTerminal(pod)) present.add(owner.name);
    }
    for (const spec of state.daemonSets) {
      if (present.has(spec.name)) continue;
      const ds = state.store.get('DaemonSet', 'kube-system', spec.name);
      if (ds === undefined) continue;
      const template = (ds.spec as ReplicaSet['spec']).template;
      const pod = podFromTemplate(
        { apiVersion: 'apps/v1', kind: 'DaemonSet', name: spec.name, uid: ds.metadata.uid, namespace: 'kube-system' },
        template,
        '',
      );
      pod.metadata.labels = { ...pod.metadata.labels, 'pod-template-generation': '1' };
      pod.spec.nodeName = nodeName;
      pod.spec.tolerations = DS_POD_TOLERATIONS.map((t) => ({ ...t }));
      const created = this.writes.createObject(PODS, pod) as Pod;
      const key = podKeyOf(created);
      const startNow = state.instant && state.nodeUp(nodeName);
      this.writes.updatePod(key, (p) => {
        markScheduled(p, nodeName, formatTime(state.now()));
        if (startNow) this.pods.markRunningNow(p);
      });
      if (!startNow) this.pods.scheduleStart(key, created.metadata.uid);
    }
  }

  syncStatus(): void {
    const state = this.state;
    if (state.dirtyDaemonSets.size === 0) return;
    const names = [...state.dirtyDaemonSets];
    state.dirtyDaemonSets.clear();
    const nodes = state.store.size('Node');
    for (const name of names) {
      const ds = state.store.get('DaemonSet', 'kube-system', name);
      if (ds === undefined) continue;
      const status = daemonSetStatus(state.podsByKeys(state.podIndex.ownedBy(ds.metadata.uid)), nodes, ds.metadata.generation ?? 1);
      if (!sameJson(ds.status, status)) {
        state.store.put('DaemonSet', withStatus(ds, status));
      }
    }
  }
}
