// What every part of the simulated cluster shares: the object store, simulated time, the seeded
// random source, the indexes kept on every write, and what the controllers have to look at on
// their next round. Each part (store writes, the kubelet, node lifecycle, the controllers, the
// scheduler, the API's operations) does its one job on it; SimCluster composes them.

import type { PoolState, VmDurations, VmState } from '../../azure/agent-pools';
import type { CloudIdentity } from '../../azure/aks-identity';
import type { DaemonSetSpec } from '../aks-objects';
import type { Timeline } from '../clock';
import { objectKey, ObjectStore } from '../object-store';
import { controllerOf, isNodeReady, type DeepReadonly, type Node, type Pod } from '../objects';
import { PdbIndex } from '../pdb-index';
import { PodIndex } from '../pod-index';
import type { SeededRandom } from '../random';

export interface SimDurations extends VmDurations {
  /** A pod bound to a node until it runs and is Ready (image pull, container start). */
  podStartMs: number;
  /** A pod that exits promptly on SIGTERM (a web server draining its connections). */
  sigtermExitMs: number;
  /** Events expire after this, as the API server's event TTL (1 h). */
  eventTtlMs: number;
}

export const DEFAULT_DURATIONS: SimDurations = {
  vmStartMs: 90_000,
  vmCreateMs: 240_000,
  vmDeallocateMs: 60_000,
  vmDeleteMs: 60_000,
  podStartMs: 5_000,
  sigtermExitMs: 2_000,
  eventTtlMs: 3_600_000,
};

/** A pod whose work was cut short: what the simulator counts as an interrupted job. */
export interface Interruption {
  /** Simulated epoch ms. */
  at: number;
  namespace: string;
  name: string;
  uid: string;
  node: string | undefined;
  owner: { kind: string; name: string } | undefined;
  cause: 'vm-deallocated' | 'vm-deleted' | 'node-deleted' | 'grace-period-expired';
  /** When the work would have ended, if the pod had declared work in hand. */
  workEndsAt: number | undefined;
}

export interface SimListener {
  /** A pod's work ended without it being stopped; a worker is now idle (`then: 'idle'`). */
  workEnded?(pod: DeepReadonly<Pod>): void;
  interrupted?(interruption: Interruption): void;
}

const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';

export function podKeyOf(pod: DeepReadonly<Pod> | Pod): string {
  return objectKey(pod.metadata.namespace, pod.metadata.name);
}

export function isDaemonPod(pod: DeepReadonly<Pod>): boolean {
  return controllerOf(pod)?.kind === 'DaemonSet';
}

export function isMirrorPod(pod: DeepReadonly<Pod>): boolean {
  return pod.metadata.annotations?.[MIRROR_ANNOTATION] !== undefined;
}

export class ClusterState {
  readonly store = new ObjectStore();
  readonly listeners = new Set<SimListener>();
  /** Pods whose work was cut short (VM stopped under them, grace period too short), oldest first. */
  readonly interruptions: Interruption[] = [];

  // Indexes, kept on every write so that no operation walks all pods.
  readonly podIndex = new PodIndex({
    ownerChanged: (namespace, owner) => {
      if (owner.kind === 'ReplicaSet') this.dirtyReplicaSets.add(objectKey(namespace, owner.name));
      else if (owner.kind === 'DaemonSet') this.dirtyDaemonSets.add(owner.name);
    },
    daemonPodRemoved: (node) => this.dirtyNodes.add(node),
    schedulingNeeded: () => {
      this.schedulingNeeded = true;
    },
  });
  readonly pdbIndex = new PdbIndex();
  readonly nodeVms = new Map<string, { pool: PoolState; vm: VmState }>();
  readonly replicaSetOfDeployment = new Map<string, string>();
  /** Imported Deployments whose ReplicaSet may exist only through their pods' owner references. */
  readonly adoptable = new Set<string>();

  // What the controllers have to look at on their next round.
  readonly dirtyNodes = new Set<string>();
  readonly dirtyReplicaSets = new Set<string>();
  readonly dirtyDeployments = new Set<string>();
  readonly dirtyJobs = new Set<string>();
  /** Uids of the Jobs created through the API: the ones the Job controller runs. */
  readonly managedJobs = new Set<string>();
  /** Deployments whose pod template an update changed: the Deployment controller rolls them out. */
  readonly templateChanged = new Set<string>();
  readonly dirtyDaemonSets = new Set<string>();
  schedulingNeeded = false;
  /** Inside settle(): pods start the moment they are bound. */
  instant = false;

  constructor(
    readonly timeline: Timeline,
    readonly random: SeededRandom,
    readonly durations: SimDurations,
    readonly identity: CloudIdentity,
    /** DaemonSets on every node. */
    readonly daemonSets: readonly DaemonSetSpec[],
  ) {}

  /** Simulated epoch milliseconds. */
  now(): number {
    return this.timeline.now();
  }

  podsOnNode(name: string): DeepReadonly<Pod>[] {
    const out: DeepReadonly<Pod>[] = [];
    for (const key of this.podIndex.onNode(name)) {
      const pod = this.store.getByKey<Pod>('Pod', key);
      if (pod !== undefined) out.push(pod);
    }
    return out;
  }

  /** The pods of these keys that still exist. */
  /** A write of a pod of a Job the Job controller runs: that Job has to look again. */
  podOfJobChanged(pod: DeepReadonly<Pod>): void {
    if (this.managedJobs.size === 0) return;
    const owner = controllerOf(pod);
    if (owner?.kind === 'Job' && this.managedJobs.has(owner.uid)) this.dirtyJobs.add(objectKey(pod.metadata.namespace, owner.name));
  }

  podsByKeys(keys: Iterable<string>): Pod[] {
    const pods: Pod[] = [];
    for (const key of keys) {
      const pod = this.store.getByKey<Pod>('Pod', key);
      if (pod !== undefined) pods.push(pod);
    }
    return pods;
  }

  /** The node's kubelet runs: the node is Ready and its VM (if it has one) is running. */
  nodeUp(name: string | undefined): boolean {
    if (name === undefined || name === '') return false;
    const node = this.store.get<Node>('Node', undefined, name);
    if (node === undefined || !isNodeReady(node)) return false;
    const vm = this.nodeVms.get(name);
    return vm === undefined || vm.vm.powerState === 'running';
  }
}
