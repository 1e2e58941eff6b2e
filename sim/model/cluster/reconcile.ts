// The controllers' loop: each round syncs what was marked dirty (nodes and their DaemonSet pods,
// Deployments, ReplicaSets, Jobs) and runs the scheduler, until nothing is left; then the status the
// controllers keep current (DaemonSets, PDBs) and the events' TTL.

import type { DaemonSetController } from './controllers/daemonsets';
import type { DeploymentController } from './controllers/deployments';
import type { JobController } from './controllers/jobs';
import type { ReplicaSetController } from './controllers/replicasets';
import type { DisruptionController } from './disruption-controller';
import type { EventExpiry } from './events';
import type { NodeLifecycle } from './node-lifecycle';
import type { SchedulerBinding } from './scheduling';
import type { ClusterState } from './state';
import type { Node } from '../objects';

/** Controllers settle a change in a few rounds; the cap only keeps a controller bug from hanging a simulation. */
const MAX_RECONCILE_ROUNDS = 50;

export interface Controllers {
  nodes: NodeLifecycle;
  daemonSets: DaemonSetController;
  deployments: DeploymentController;
  replicaSets: ReplicaSetController;
  jobs: JobController;
  scheduler: SchedulerBinding;
  disruption: DisruptionController;
  events: EventExpiry;
}

export class Reconciler {
  constructor(
    private readonly state: ClusterState,
    private readonly controllers: Controllers,
  ) {}

  reconcile(): void {
    const state = this.state;
    const { deployments, replicaSets, jobs, scheduler, daemonSets, disruption, events } = this.controllers;
    for (let round = 0; round < MAX_RECONCILE_ROUNDS; round++) {
      const busy =
        state.dirtyNodes.size > 0 ||
        state.dirtyDeployments.size > 0 ||
        state.dirtyReplicaSets.size > 0 ||
        state.dirtyJobs.size > 0 ||
        (state.schedulingNeeded && state.podIndex.pending().size > 0);
      if (!busy) break;
      this.syncNodes();
      deployments.sync();
      replicaSets.sync();
      jobs.sync();
      scheduler.run();
      // Pods started in this round (settle) may already need a controller again: go round.
      state.timeline.runUntil(state.now());
    }
    daemonSets.syncStatus();
    disruption.refreshStale();
    events.expire();
  }

  /** Node lifecycle (the cordon taint follows spec.unschedulable) and the DaemonSet rule (one pod per DaemonSet per node). */
  private syncNodes(): void {
    const state = this.state;
    const names = [...state.dirtyNodes];
    state.dirtyNodes.clear();
    for (const name of names) {
      const node = state.store.get<Node>('Node', undefined, name);
      if (node === undefined) continue;
      if (this.controllers.nodes.taintCordoned(node)) state.dirtyNodes.delete(name);
      this.controllers.daemonSets.ensurePods(name);
    }
  }
}
