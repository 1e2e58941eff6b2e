// How much a strategy disturbs the workload on the way to its node-hours, counted the same way for
// every strategy from what happens to the cluster (not from what the strategy says it did):
// - a drain starts when a user node is cordoned, completes when its VM is deallocated, and is
//   cancelled when the node is uncordoned first; a cancelled drain that had evicted at least one pod
//   (while cordoned) restarted pods for nothing: "cancelled after evicting"; a completed drain whose
//   VM is started again within an hour of its stop was wasted work too: "restarted within an hour"
//   (the uncordon after such a restart is not a cancellation: that drain had completed);
// - evictions are the Eviction API calls accepted, split into those from a draining node and the
//   rest (the descheduler's);
// - worker replica changes are writes of the BG Deployment's spec.replicas to another value;
// - a scale-down "below busy" is a decrease of the BG replicas to a count under the number of workers
//   busy at that moment (annotated busy, not terminating): whichever pods the ReplicaSet picks, at
//   least one busy worker gets SIGTERM;
// - busy workers signalled counts each BG pod that got a deletionTimestamp while annotated busy,
//   whatever the cause (a scale-down or an eviction).

import { AGENT_POOL_LABEL, BUSY } from '../../core/annotations';
import type { SimCluster } from '../model/cluster';
import type { DeepReadonly, Deployment, KubeObject, Node, Pod } from '../model/objects';
import type { SimKubernetesActions, SimNodeVms } from './in-process-ports';
import { HOUR } from './traffic';
import { NAMESPACE, USER_POOL } from './world';

export interface ChurnCounts {
  drains: number;
  drainsCompleted: number;
  drainsCancelled: number;
  drainsCancelledAfterEvicting: number;
  /** Completed drains whose VM was started again within an hour of being stopped. */
  drainsRestartedWithinHour: number;
  /** Evictions from a node being drained. */
  drainEvictions: number;
  /** Evictions from schedulable nodes (the descheduler's). */
  otherEvictions: number;
  workerReplicaChanges: number;
  workerScaleDowns: number;
  scaleDownsBelowBusy: number;
  busyWorkersSignalled: number;
}

interface OpenDrain {
  evictions: number;
}

/** Nothing counted yet. */
export function noChurn(): ChurnCounts {
  return {
    drains: 0,
    drainsCompleted: 0,
    drainsCancelled: 0,
    drainsCancelledAfterEvicting: 0,
    drainsRestartedWithinHour: 0,
    drainEvictions: 0,
    otherEvictions: 0,
    workerReplicaChanges: 0,
    workerScaleDowns: 0,
    scaleDownsBelowBusy: 0,
    busyWorkersSignalled: 0,
  };
}

export class Churn {
  readonly counts: ChurnCounts = noChurn();
  private readonly cordoned = new Map<string, boolean>();
  private readonly drains = new Map<string, OpenDrain>();
  /** When each node's VM was last stopped at the end of a drain. */
  private readonly stoppedAt = new Map<string, number>();
  /** BG pods by key: busy (annotated, not terminating) and terminating. */
  private readonly workers = new Map<string, { busy: boolean; terminating: boolean }>();
  private busyWorkers = 0;
  private replicas: number | undefined;
  private readonly worker: { namespace: string; deployment: string };

  /** `worker`: the BG Deployment (default clomo/bg). */
  constructor(cluster: SimCluster, actions: SimKubernetesActions, vms: SimNodeVms, worker?: { namespace: string; deployment: string }) {
    this.worker = worker ?? { namespace: NAMESPACE, deployment: 'bg' };
    cluster.observe('Node', (key, object) => this.nodeWritten(key, object as DeepReadonly<Node> | undefined));
    cluster.observe('Pod', (key, object) => this.podWritten(key, object as DeepReadonly<Pod> | undefined));
    cluster.observe('Deployment', (_key, object) => this.deploymentWritten(object as DeepReadonly<Deployment> | undefined));
    // Wrapped on the instance, as the invariants are: the runner's evict() and the peers' evictNow()
    // both come through here.
    const evictNow = actions.evictNow.bind(actions);
    actions.evictNow = (namespace, pod) => {
      const node = cluster.pod(namespace, pod)?.spec.nodeName;
      const outcome = evictNow(namespace, pod);
      if (outcome === 'evicted') this.evicted(node);
      return outcome;
    };
    const deallocate = vms.deallocate.bind(vms);
    vms.deallocate = async (node) => {
      await deallocate(node);
      this.stopped(node.name, cluster.now());
    };
    const start = vms.start.bind(vms);
    vms.start = async (node) => {
      await start(node);
      const stopped = this.stoppedAt.get(node.name);
      this.stoppedAt.delete(node.name);
      if (stopped !== undefined && cluster.now() - stopped < HOUR) this.counts.drainsRestartedWithinHour++;
    };
  }

  private nodeWritten(name: string, node: DeepReadonly<Node> | undefined): void {
    if (node === undefined) {
      this.cordoned.delete(name);
      this.drains.delete(name);
      return;
    }
    if (node.metadata.labels?.[AGENT_POOL_LABEL] !== USER_POOL) return;
    const now = node.spec.unschedulable === true;
    const before = this.cordoned.get(name);
    this.cordoned.set(name, now);
    if (before === undefined || before === now) return;
    if (now) {
      this.counts.drains++;
      this.drains.set(name, { evictions: 0 });
      return;
    }
    const drain = this.drains.get(name);
    if (drain === undefined) return; // uncordoned after its VM was stopped: that drain completed
    this.drains.delete(name);
    this.counts.drainsCancelled++;
    if (drain.evictions > 0) this.counts.drainsCancelledAfterEvicting++;
  }

  private evicted(node: string | undefined): void {
    const drain = node === undefined ? undefined : this.drains.get(node);
    if (drain === undefined) {
      this.counts.otherEvictions++;
      return;
    }
    drain.evictions++;
    this.counts.drainEvictions++;
  }

  private stopped(node: string, now: number): void {
    if (!this.drains.delete(node)) return;
    this.counts.drainsCompleted++;
    this.stoppedAt.set(node, now);
  }

  private isWorker(pod: DeepReadonly<KubeObject>): boolean {
    return pod.metadata.namespace === this.worker.namespace && pod.metadata.labels?.app === this.worker.deployment;
  }

  private podWritten(key: string, pod: DeepReadonly<Pod> | undefined): void {
    const before = this.workers.get(key);
    if (pod === undefined || !this.isWorker(pod) || pod.status.phase === 'Succeeded' || pod.status.phase === 'Failed') {
      if (before?.busy === true && !before.terminating) this.busyWorkers--;
      this.workers.delete(key);
      return;
    }
    const terminating = pod.metadata.deletionTimestamp !== undefined;
    const busy = pod.metadata.annotations?.[BUSY] === 'true';
    if (before !== undefined && !before.terminating && terminating && busy) this.counts.busyWorkersSignalled++;
    const wasCounted = before !== undefined && before.busy && !before.terminating;
    const counted = busy && !terminating;
    this.busyWorkers += Number(counted) - Number(wasCounted);
    this.workers.set(key, { busy, terminating });
  }

  private deploymentWritten(deployment: DeepReadonly<Deployment> | undefined): void {
    if (
      deployment === undefined ||
      deployment.metadata.namespace !== this.worker.namespace ||
      deployment.metadata.name !== this.worker.deployment
    )
      return;
    const replicas = deployment.spec.replicas ?? 1;
    const before = this.replicas;
    this.replicas = replicas;
    if (before === undefined || before === replicas) return;
    this.counts.workerReplicaChanges++;
    if (replicas > before) return;
    this.counts.workerScaleDowns++;
    if (this.busyWorkers > replicas) this.counts.scaleDownsBelowBusy++;
  }
}
