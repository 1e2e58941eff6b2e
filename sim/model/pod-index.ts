// The model's indexes over pods, kept on every write so that no operation walks all 150,000 of
// them: pods by node, by controller, the pending ones, each node's requested resources, and the
// per-pod state the kubelet simulation keeps beside the API object (PodRuntime).

import { podRequests } from './admission';
import { controllerOf, isPodReady, isTerminal, type DeepReadonly, type OwnerReference, type Pod } from './objects';

/**
 * The work a pod does, for the simulator: when it ends and what the process does on SIGTERM. A
 * pod without declared work exits promptly on SIGTERM.
 */
export interface PodWork {
  /** When the current work ends (simulated epoch ms). */
  endsAt?: number;
  /** Or: how long the work takes from when the pod starts running (a Job's run). */
  runsForMs?: number;
  /** When the work ends undisturbed: a Job's pod succeeds; a worker stays, idle ('idle', the default). */
  then?: 'succeed' | 'idle';
  /**
   * On SIGTERM: 'exit' at once (default); 'finish-work' first, then exit (a BG worker, within its
   * grace period); 'ignore' until killed at the end of the grace period.
   */
  onSigterm?: 'exit' | 'finish-work' | 'ignore';
}

export interface Usage {
  pods: number;
  /** Millicores. */
  cpu: number;
  /** Bytes. */
  memory: number;
}

/** What the simulated kubelet knows of a pod beyond its API object. */
export interface PodRuntime {
  uid: string;
  requests: { cpu: number; memory: number };
  /** The node whose usage counts this pod (bound and not finished). */
  countedOn: string | undefined;
  work: PodWork | undefined;
  /** Bumped when the work changes, so a stale "work ends" happening does nothing. */
  workToken: number;
  sigtermAt: number | undefined;
  /** Its containers died with the VM; the kubelet restarts them when the node is back. */
  dead: boolean;
  /** The scheduler's podShape, computed once (requests and nodeSelector never change after create). */
  shape: string | undefined;
}

/** What the controllers need to hear from the index. */
export interface PodIndexEvents {
  /** A pod of `owner` appeared, went, or changed in a way its controller counts (active, ready). */
  ownerChanged(namespace: string, owner: DeepReadonly<OwnerReference>): void;
  /** A DaemonSet pod is gone from a node: the DaemonSet controller puts one back. */
  daemonPodRemoved(node: string): void;
  /** A pod is waiting for a node, or capacity was freed: the scheduler has work. */
  schedulingNeeded(): void;
}

function getOrAdd<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

/** Counted by the workload controllers (see isActive in workload-status). */
export interface ReplicaCounts {
  /** Not being deleted, not finished. */
  active: number;
  /** Active and Ready. */
  ready: number;
}

/** 0: gone or finished, 1: active, 2: active and Ready — what ReplicaSet and DaemonSet controllers count. */
function replicaState(pod: DeepReadonly<Pod>): number {
  if (pod.metadata.deletionTimestamp !== undefined || isTerminal(pod)) return 0;
  return isPodReady(pod) ? 2 : 1;
}

function bound(pod: DeepReadonly<Pod> | undefined): string | undefined {
  const node = pod?.spec.nodeName;
  return node === undefined || node === '' ? undefined : node;
}

const NO_KEYS: ReadonlySet<string> = new Set();

export class PodIndex {
  private readonly byNode = new Map<string, Set<string>>();
  private readonly byOwner = new Map<string, Set<string>>();
  private readonly waiting = new Set<string>();
  /** Pods (not finished) with a required pod anti-affinity: while any is, the scheduler weighs every pod against them. */
  private readonly antiAffine = new Set<string>();
  private readonly runtimes = new Map<string, PodRuntime>();
  private readonly usageByNode = new Map<string, Usage>();
  /** What a ReplicaSet's status counts, per controller uid, so a status write costs no walk over its pods. */
  private readonly replicasByOwner = new Map<string, ReplicaCounts>();

  constructor(private readonly events: PodIndexEvents) {}

  /** Records a pod write: created (no previous), updated, or removed (no next). */
  update(key: string, previous: DeepReadonly<Pod> | undefined, next: DeepReadonly<Pod> | undefined): void {
    const prevNode = bound(previous);
    const nextNode = bound(next);
    if (prevNode !== nextNode) {
      if (prevNode !== undefined) this.byNode.get(prevNode)?.delete(key);
      if (nextNode !== undefined) getOrAdd(this.byNode, nextNode, () => new Set()).add(key);
    }

    if (next !== undefined && nextNode === undefined && next.metadata.deletionTimestamp === undefined && !isTerminal(next)) {
      if (!this.waiting.has(key)) {
        this.waiting.add(key);
        this.events.schedulingNeeded();
      }
    } else this.waiting.delete(key);
    if (
      next !== undefined &&
      !isTerminal(next) &&
      (next.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0
    )
      this.antiAffine.add(key);
    else this.antiAffine.delete(key);

    let runtime = this.runtimes.get(key);
    if (next !== undefined && (runtime === undefined || runtime.uid !== next.metadata.uid)) {
      runtime = {
        uid: next.metadata.uid,
        requests: podRequests(next.spec as Pod['spec']),
        countedOn: undefined,
        work: undefined,
        workToken: 0,
        sigtermAt: undefined,
        dead: false,
        shape: undefined,
      };
      this.runtimes.set(key, runtime);
    }
    // Tolerations are the one scheduling input a pod update may change (additions only).
    if (
      runtime !== undefined &&
      previous !== undefined &&
      next !== undefined &&
      (previous.spec.tolerations?.length ?? 0) !== (next.spec.tolerations?.length ?? 0)
    ) {
      runtime.shape = undefined;
    }
    if (runtime !== undefined) this.count(runtime, next !== undefined && !isTerminal(next) ? nextNode : undefined);
    if (next === undefined) this.runtimes.delete(key);

    const prevOwner = previous !== undefined ? controllerOf(previous) : undefined;
    const nextOwner = next !== undefined ? controllerOf(next) : undefined;
    if (prevOwner?.uid !== nextOwner?.uid) {
      if (prevOwner !== undefined) this.byOwner.get(prevOwner.uid)?.delete(key);
      if (nextOwner !== undefined) getOrAdd(this.byOwner, nextOwner.uid, () => new Set()).add(key);
    }
    const prevState = previous !== undefined ? replicaState(previous) : 0;
    const nextState = next !== undefined ? replicaState(next) : 0;
    if (prevOwner?.uid !== nextOwner?.uid || prevState !== nextState) {
      if (prevOwner !== undefined) this.countReplica(prevOwner.uid, prevState, -1);
      if (nextOwner !== undefined) this.countReplica(nextOwner.uid, nextState, 1);
    }
    const namespace = (next ?? previous)!.metadata.namespace;
    if (previous === undefined || next === undefined || prevOwner?.uid !== nextOwner?.uid || prevState !== nextState) {
      if (prevOwner !== undefined) this.events.ownerChanged(namespace, prevOwner);
      if (nextOwner !== undefined && nextOwner.uid !== prevOwner?.uid) this.events.ownerChanged(namespace, nextOwner);
    }
    if (prevNode !== undefined && next === undefined && prevOwner?.kind === 'DaemonSet') this.events.daemonPodRemoved(prevNode);
  }

  private countReplica(owner: string, state: number, by: 1 | -1): void {
    if (state === 0) return;
    const counts = getOrAdd(this.replicasByOwner, owner, () => ({ active: 0, ready: 0 }));
    counts.active += by;
    if (state === 2) counts.ready += by;
    if (counts.active === 0) this.replicasByOwner.delete(owner);
  }

  /** Moves the pod's requests to the node that now counts it (or none). */
  private count(runtime: PodRuntime, node: string | undefined): void {
    const before = runtime.countedOn;
    if (before === node) return;
    const { cpu, memory } = runtime.requests;
    if (before !== undefined) {
      const usage = getOrAdd(this.usageByNode, before, () => ({ pods: 0, cpu: 0, memory: 0 }));
      usage.pods -= 1;
      usage.cpu -= cpu;
      usage.memory -= memory;
      this.events.schedulingNeeded();
    }
    if (node !== undefined) {
      const usage = getOrAdd(this.usageByNode, node, () => ({ pods: 0, cpu: 0, memory: 0 }));
      usage.pods += 1;
      usage.cpu += cpu;
      usage.memory += memory;
    }
    runtime.countedOn = node;
  }

  /** Keys of the pods bound to `node`. */
  onNode(node: string): ReadonlySet<string> {
    return this.byNode.get(node) ?? NO_KEYS;
  }

  /** Keys of the pods whose controller has this uid. */
  ownedBy(uid: string): ReadonlySet<string> {
    return this.byOwner.get(uid) ?? NO_KEYS;
  }

  /** The controller's pods not being deleted nor finished, and of those the Ready ones. */
  replicas(uid: string): Readonly<ReplicaCounts> {
    const counts = this.replicasByOwner.get(uid);
    return counts === undefined ? { active: 0, ready: 0 } : { ...counts };
  }

  /** Keys of the pods not finished that carry a required pod anti-affinity (bound or not). */
  antiAffinePods(): ReadonlySet<string> {
    return this.antiAffine;
  }

  /** Keys of the pods waiting for a node (not bound, not being deleted, not finished). */
  pending(): ReadonlySet<string> {
    return this.waiting;
  }

  runtime(key: string): PodRuntime | undefined {
    return this.runtimes.get(key);
  }

  /** What the pods bound to `node` request (zero for a node without pods). */
  usage(node: string): Usage {
    return this.usageByNode.get(node) ?? { pods: 0, cpu: 0, memory: 0 };
  }

  /** A node object is gone (its pods were removed first). */
  forgetNode(node: string): void {
    this.byNode.delete(node);
    this.usageByNode.delete(node);
  }
}
