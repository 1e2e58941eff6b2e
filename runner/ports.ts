// The narrow ports between the runner and the outside world. Each lists only the calls the runner
// makes; the real adapters (Kubernetes, ARM, Storage Queues) and the simulated cluster implement them,
// so the simulator and the tests drive the same runner. The runner owns them: adapters import from
// here, never the other way round, and so do the refusals the runner tells apart from failures.

import type { AuditObjects } from '../core/audit';
import type { NodeMark } from '../core/decision';
import type { Memory } from '../core/memory';
import type { NodeView, PodView, PoolView, QueueView, Snapshot } from '../core/views';

export interface Logger {
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

/** Where each scaler's last run and its bounded history are kept for people (a ConfigMap in a cluster). */
export interface StatusSink {
  /**
   * The object the status lives in, which Events about the cluster as a whole (an agent pool grown)
   * are recorded on, as cluster-autoscaler records its scale-ups on its status ConfigMap. None for a
   * status kept in memory only.
   */
  readonly ref?: ObjectRef;
  /** Replaces the scaler's last-run record, and its history with `history(previous stored history)`. */
  write(scaler: string, status: unknown, history: (previous: unknown) => unknown): Promise<void>;
  /** Every scaler's last run and history, as stored (keyed by scaler or `all`). */
  read(): Promise<Record<string, { last: unknown; history: unknown }>>;
}

/** Reads the cluster, paginated, projected straight to the core's compact views. */
export interface ClusterReader {
  readCluster(): Promise<Omit<Snapshot, 'queues'>>;
  /**
   * One node as it is now, read fresh right before a destructive call on it (the snapshot may be a
   * tick old by then); undefined when the node is gone.
   */
  readNode(name: string): Promise<NodeView | undefined>;
  /** The pods bound to one node now, finished ones left out, read fresh right before it is stopped. */
  readPodsOn(node: string): Promise<PodView[]>;
}

/**
 * Reads what the drain audit (core/audit) looks at: pods, their controllers (Deployments,
 * ReplicaSets, StatefulSets, DaemonSets, ReplicationControllers, Jobs, CronJobs),
 * PodDisruptionBudgets, Services and nodes, in every namespace, paginated. Whole objects, not the
 * compact views of a tick: the audit reads preStop hooks, probes, commands, volumes and Job policies.
 * Read on request (GET /api/audit, the status page, the CLI), never by a tick.
 */
export interface AuditReader {
  /** Rejects, naming the list that failed and why, when any list cannot be read. */
  readAuditObjects(): Promise<AuditObjects>;
}

/**
 * What a placement mark's patch came to: written; already as asked (nothing sent); refused because
 * the node changed between the read and the patch (409: the patch is conditional on the node's
 * resourceVersion, so a concurrent writer's taints are never overwritten); or the node is gone.
 */
export type MarkOutcome = 'marked' | 'unchanged' | 'conflict' | 'gone';

/** What an eviction came to. A PDB refusal (HTTP 429) is a normal outcome, retried next tick. */
export type EvictionOutcome = 'evicted' | 'refused-by-pdb' | 'gone';

export interface KubernetesActions {
  /** Cordon, and mark the node with why and since when (annotations), in one patch. */
  cordon(node: string, drain: { since: string; reason: string }): Promise<void>;
  /** Uncordon, and clear our drain annotations, in one patch. */
  uncordon(node: string): Promise<void>;
  evict(namespace: string, pod: string): Promise<EvictionOutcome>;
  /** Sets `spec.replicas` through the Deployment's scale subresource. */
  scale(namespace: string, deployment: string, replicas: number): Promise<void>;
  setDeletionCost(namespace: string, pod: string, cost: number): Promise<void>;
  /**
   * Puts one of our placement marks on a node, or takes ours off (the drain-candidate taint, whose
   * value is `at` in Unix seconds, or the stays label): reads the node, then patches it only if the
   * mark is not already as asked, conditionally on the resourceVersion read. Never touches a taint
   * or label of anyone else.
   */
  markNode(node: string, mark: NodeMark, set: boolean, at: number): Promise<MarkOutcome>;
}

/** Memory kept between ticks, updated with optimistic concurrency (a 409 means re-read and retry). */
export interface MemoryStore {
  /**
   * What is stored, and its version. Stored text that is not valid memory (a hand edit) loads as
   * nothing remembered, with `unreadable` saying why; the next save replaces it.
   */
  load(): Promise<{ memory: Memory; version: string | undefined; unreadable?: string }>;
  /** Returns false when someone else wrote since `version` was read. */
  save(memory: Memory, version: string | undefined): Promise<boolean>;
}

/**
 * One writer per cluster at a time (a coordination.k8s.io Lease). The runner takes one Lease for every
 * target, with a holder identity unique to the tick, so two ticks of the same instance contend too.
 */
export interface LeaseLock {
  /** True when this holder has (or renewed) the lease; false when another holder has it. */
  acquire(name: string, holder: string, durationSeconds: number): Promise<boolean>;
  release(name: string, holder: string): Promise<void>;
}

export interface ObjectRef {
  kind: 'Node' | 'Pod' | 'Deployment' | 'ConfigMap';
  name: string;
  namespace?: string;
}

export interface EventSink {
  emit(ref: ObjectRef, event: { reason: string; message: string; type: 'Normal' | 'Warning'; action: string }): Promise<void>;
}

/** A refusal of the VM side that the next tick should see as a skip, not a crash. */
export class VmRefusal extends Error {
  constructor(
    readonly code: 'pool-not-deallocate-mode' | 'no-vm' | 'throttled' | 'failed',
    message: string,
  ) {
    super(message);
    this.name = 'VmRefusal';
  }
}

/** A VM's power state as the compute API reports it now (not as the node object shows it). */
export interface VmState {
  power: 'starting' | 'running' | 'stopping' | 'stopped' | 'deallocating' | 'deallocated' | 'unknown';
  /** An operation on the VM is still in progress (provisioning state Updating). */
  busy: boolean;
}

/**
 * The node VMs: scale-set instances and agent pools (ARM compute and container service). start,
 * deallocate and addNodes return once Azure has accepted the request, not when the VM has changed:
 * a VM operation takes minutes, and the next tick observes the VM's power state or the pool's nodes
 * (the core remembers `starting`, `stopRequestedAt` and `provisioning` meanwhile).
 */
export interface NodeVms {
  start(node: NodeView): Promise<void>;
  deallocate(node: NodeView): Promise<void>;
  addNodes(pool: string, count: number): Promise<void>;
  /** The VM's state now, read fresh right before a start is sent. */
  state(node: NodeView): Promise<VmState>;
  /**
   * Every agent pool of the cluster with its provisioningState: is AKS working on it? undefined when
   * this side has no ARM access to ask (the node scaler then goes by the nodes' upgrade marks alone).
   */
  poolStates(): Promise<PoolView[] | undefined>;
}

export interface QueueDepths {
  /** Approximate count (visible + in flight) and the oldest visible message's age, per queue. */
  read(queues: readonly string[]): Promise<QueueView[]>;
}

/**
 * Some configured queues do not exist in the account. This is an error rather than a depth of 0:
 * a typo in the policy (or the wrong account) would otherwise scale the workers down to their
 * minimum while real work waits elsewhere, and it will not fix itself, so it should fail loudly.
 * `read` carries the queues that were read, so a runner that wants to can still plan with them;
 * the worker planner then holds the workers whose queue is missing ("queue-unknown").
 * `check` says what a person should check; the Storage adapter names its app settings there.
 */
export class QueueNotFoundError extends Error {
  constructor(
    readonly account: string,
    readonly queues: readonly string[],
    readonly read: readonly QueueView[],
    check = "check the policy's worker queues",
  ) {
    super(`storage account ${account} has no queue named ${queues.join(', ')} (${check})`);
    this.name = 'QueueNotFoundError';
  }
}
