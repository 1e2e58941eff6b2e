// The runner's ports implemented directly on a SimCluster, without HTTP: the embedded simulator runs
// the real runner (runTick) against the model. Reading projects the model's stored objects through
// the same projection as the Kubernetes adapter; actions call the model's API operations; VMs map a
// node's scale-set reference onto the model's compute, refusing like the ARM adapter does.

import { DRAINING_SINCE, DRAIN_REASON, POD_DELETION_COST } from '../../core/annotations';
import type { NodeMark } from '../../core/decision';
import { emptyMemory, type Memory } from '../../core/memory';
import type { ControllerNames, NodeView, PdbView, PodView, PoolView, QueueView, WorkloadView } from '../../core/views';
import { CONTROLLER_KINDS, projectControllerKey } from '../../adapters/kubernetes/projection/controller';
import { markPatch } from '../../adapters/kubernetes/node-marks';
import { projectNode } from '../../adapters/kubernetes/projection/node';
import { projectPod } from '../../adapters/kubernetes/projection/pod';
import { projectDeployment, projectPdb } from '../../adapters/kubernetes/projection/workload';
import {
  QueueNotFoundError,
  VmRefusal,
  type ClusterReader,
  type EventSink,
  type EvictionOutcome,
  type KubernetesActions,
  type LeaseLock,
  type MarkOutcome,
  type MemoryStore,
  type NodeVms,
  type ObjectRef,
  type QueueDepths,
  type VmState,
} from '../../runner/ports';
import { ApiError } from '../model/api-errors';
import type { SimCluster } from '../model/cluster';
import type { DeepReadonly, Node, Pod } from '../model/objects';
import {
  DAEMON_SETS,
  DEPLOYMENTS,
  JOBS,
  NODES,
  PDBS,
  PODS,
  REPLICA_SETS,
  REPLICATION_CONTROLLERS,
  STATEFUL_SETS,
} from '../model/resources';
import { StoreMirror } from './store-mirror';

/**
 * Projects the model's objects. Stored objects are never mutated (a write stores a new object), so
 * a view is kept until its object is written again: nodes and pods through mirrors the model keeps
 * up to date on every write (a read of an unchanged cluster walks nothing), the few PDBs and
 * Deployments cached by the identity of the raw object they came from. From its first read on, a
 * reader follows the model's writes for as long as the model lives.
 */
export class SimClusterReader implements ClusterReader {
  private readonly cache = new WeakMap<object, unknown>();
  private readonly nodes: StoreMirror<DeepReadonly<Node>, NodeView>;
  private readonly pods: StoreMirror<DeepReadonly<Pod>, PodView>;

  /**
   * `withPdbs: false` leaves PodDisruptionBudgets out: for the workers scaler's ticks, whose planner
   * never reads them, so the simulator does not recompute every budget's status twice a minute.
   */
  constructor(
    private readonly cluster: SimCluster,
    private readonly options: {
      withPdbs?: boolean;
      /** Only the pods this accepts (e.g. a worker Deployment's, for the workers scaler's ticks). */
      pods?: (pod: { metadata: { namespace?: string; labels?: Readonly<Record<string, string>> } }) => boolean;
    } = {},
  ) {
    const only = options.pods;
    this.nodes = new StoreMirror<DeepReadonly<Node>, NodeView>(cluster, 'Node', () => true, projectNode);
    // As the Kubernetes reader: finished pods are filtered out server-side.
    this.pods = new StoreMirror<DeepReadonly<Pod>, PodView>(
      cluster,
      'Pod',
      (pod) => !isFinished(pod) && (only === undefined || only(pod)),
      projectPod,
    );
  }

  private project<T>(raw: object, projector: (raw: unknown) => T): T {
    const hit = this.cache.get(raw);
    if (hit !== undefined) return hit as T;
    const view = projector(raw);
    this.cache.set(raw, view);
    return view;
  }

  async readCluster(): Promise<{
    nodes: NodeView[];
    pods: PodView[];
    pdbs: PdbView[];
    workloads: WorkloadView[];
    controllers: ControllerNames;
  }> {
    return Promise.resolve(this.readNow());
  }

  /** As the Kubernetes reader: one node and its unfinished pods, read now (the runner's re-checks). */
  async readNode(name: string): Promise<NodeView | undefined> {
    const node = this.cluster.node(name);
    return Promise.resolve(node === undefined ? undefined : this.project(node, projectNode));
  }

  async readPodsOn(node: string): Promise<PodView[]> {
    return Promise.resolve(
      this.cluster
        .podsOnNode(node)
        .filter((pod) => !isFinished(pod))
        .map((pod) => this.project(pod, projectPod)),
    );
  }

  /** Stops following the model's writes (a reader of a runner that is gone: its caches go with it). */
  close(): void {
    this.nodes.close();
    this.pods.close();
  }

  /** The same snapshot, synchronously (the simulator's strategies read it between ticks). */
  readNow(): { nodes: NodeView[]; pods: PodView[]; pdbs: PdbView[]; workloads: WorkloadView[]; controllers: ControllerNames } {
    // Copies: the mirrors' arrays are shared between reads, the snapshot's belong to the caller.
    const nodes = this.nodes.views().slice();
    const pods = this.pods.views().slice();
    // PDB status is computed when read (the model's disruption controller never falls behind).
    const pdbs = this.options.withPdbs === false ? [] : this.cluster.list(PDBS).items.map((raw) => this.project(raw, projectPdb));
    const workloads = this.cluster.list(DEPLOYMENTS).items.map((raw) => this.project(raw, projectDeployment));
    return { nodes, pods, pdbs, workloads, controllers: this.controllers() };
  }

  /** The names of the controllers that recreate pods, as the Kubernetes reader lists them. */
  private controllers(): ControllerNames {
    const names = new Set<string>();
    for (const resource of [REPLICA_SETS, STATEFUL_SETS, JOBS, DAEMON_SETS, REPLICATION_CONTROLLERS]) {
      for (const raw of this.cluster.list(resource).items) names.add(this.project(raw, (r) => projectControllerKey(resource.kind, r)));
    }
    return { kinds: CONTROLLER_KINDS, names };
  }
}

function isFinished(pod: DeepReadonly<Pod>): boolean {
  const phase = pod.status.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

export class SimKubernetesActions implements KubernetesActions {
  /** Evictions the API accepted, for the simulator's metrics. */
  evictions = 0;
  refusedEvictions = 0;

  constructor(private readonly cluster: SimCluster) {}

  async cordon(node: string, drain: { since: string; reason: string }): Promise<void> {
    this.cluster.patch(
      NODES,
      { name: node },
      { metadata: { annotations: { [DRAINING_SINCE]: drain.since, [DRAIN_REASON]: drain.reason } }, spec: { unschedulable: true } },
      'merge',
    );
    return Promise.resolve();
  }

  async uncordon(node: string): Promise<void> {
    this.cluster.patch(
      NODES,
      { name: node },
      { metadata: { annotations: { [DRAINING_SINCE]: null, [DRAIN_REASON]: null } }, spec: { unschedulable: null } },
      'merge',
    );
    return Promise.resolve();
  }

  async evict(namespace: string, pod: string): Promise<EvictionOutcome> {
    return Promise.resolve(this.evictNow(namespace, pod));
  }

  evictNow(namespace: string, pod: string): EvictionOutcome {
    try {
      this.cluster.evict({ namespace, name: pod }, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod, namespace } });
      this.evictions++;
      return 'evicted';
    } catch (err) {
      if (err instanceof ApiError && err.code === 429) {
        this.refusedEvictions++;
        return 'refused-by-pdb';
      }
      if (err instanceof ApiError && err.code === 404) return 'gone';
      throw err;
    }
  }

  async scale(namespace: string, deployment: string, replicas: number): Promise<void> {
    this.cluster.replaceScale(
      { namespace, name: deployment },
      { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: deployment, namespace }, spec: { replicas } },
    );
    return Promise.resolve();
  }

  async setDeletionCost(namespace: string, pod: string, cost: number): Promise<void> {
    this.cluster.patch(PODS, { namespace, name: pod }, { metadata: { annotations: { [POD_DELETION_COST]: String(cost) } } }, 'merge');
    return Promise.resolve();
  }

  /** As the Kubernetes adapter: the node as it is now, then the conditional patch of node-marks.ts. */
  async markNode(node: string, mark: NodeMark, set: boolean, at: number): Promise<MarkOutcome> {
    return Promise.resolve(this.markNow(node, mark, set, at));
  }

  private markNow(node: string, mark: NodeMark, set: boolean, at: number): MarkOutcome {
    const found = this.cluster.node(node);
    if (found === undefined) return 'gone';
    const body = markPatch(found, mark, set, at);
    if (body === undefined) return 'unchanged';
    try {
      this.cluster.patch(NODES, { name: node }, body, 'merge');
      return 'marked';
    } catch (err) {
      if (err instanceof ApiError && err.code === 409) return 'conflict';
      if (err instanceof ApiError && err.code === 404) return 'gone';
      throw err;
    }
  }
}

/** What a VM call did, for the simulator's invariant checks. */
export interface VmCall {
  at: number;
  op: 'start' | 'deallocate' | 'add-nodes';
  node: string;
  pool: string | undefined;
}

export class SimNodeVms implements NodeVms {
  readonly calls: VmCall[] = [];
  /** Called before a deallocation is carried out (the simulator checks its invariants here). */
  beforeDeallocate: ((node: NodeView) => void) | undefined;

  constructor(private readonly cluster: SimCluster) {}

  private vmOf(node: NodeView, verb: string): { scaleSet: string; instanceId: string } {
    if (node.vm === undefined)
      throw new VmRefusal('no-vm', `node ${node.name} has no scale-set VM (spec.providerID names none), nothing to ${verb}`);
    return node.vm;
  }

  async start(node: NodeView): Promise<void> {
    const vm = this.vmOf(node, 'start');
    if (!this.cluster.startVm(vm.scaleSet, vm.instanceId))
      throw new VmRefusal('no-vm', `${vm.scaleSet} instance ${vm.instanceId} no longer exists`);
    this.calls.push({ at: this.cluster.now(), op: 'start', node: node.name, pool: node.pool });
    return Promise.resolve();
  }

  /** The model's power state; its VM operations take effect at once, so none is ever in progress. */
  async state(node: NodeView): Promise<VmState> {
    const vm = this.vmOf(node, 'read');
    const power = this.cluster.scaleSetVms(vm.scaleSet)?.find((v) => v.instanceId === vm.instanceId)?.powerState;
    return Promise.resolve({ power: power ?? 'unknown', busy: false });
  }

  async deallocate(node: NodeView): Promise<void> {
    const vm = this.vmOf(node, 'deallocate');
    const pool = this.cluster.agentPools().find((p) => p.scaleSet === vm.scaleSet || p.name === node.pool);
    if (pool === undefined)
      throw new VmRefusal('pool-not-deallocate-mode', `node ${node.name} names no known agent pool; not deallocating`);
    if (pool.scaleDownMode !== 'Deallocate') {
      throw new VmRefusal(
        'pool-not-deallocate-mode',
        `agent pool '${pool.name}' has scaleDownMode ${pool.scaleDownMode}; AKS keeps deallocated node VMs only in Deallocate mode, so node ${node.name} is not stopped`,
      );
    }
    this.beforeDeallocate?.(node);
    if (!this.cluster.deallocateVm(vm.scaleSet, vm.instanceId))
      throw new VmRefusal('no-vm', `${vm.scaleSet} instance ${vm.instanceId} no longer exists`);
    this.calls.push({ at: this.cluster.now(), op: 'deallocate', node: node.name, pool: node.pool });
    return Promise.resolve();
  }

  async addNodes(pool: string, count: number): Promise<void> {
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`addNodes: count must be a positive integer, got ${count}`);
    const current = this.cluster.agentPools().find((p) => p.name === pool);
    if (current === undefined) throw new VmRefusal('failed', `agent pool '${pool}' was not found`);
    if (current.enableAutoScaling) throw new VmRefusal('failed', `agent pool '${pool}' has the cluster autoscaler enabled`);
    if (current.provisioningState !== 'Succeeded') {
      throw new VmRefusal('failed', `agent pool '${pool}' is ${current.provisioningState}; not changing its count until it is Succeeded`);
    }
    this.cluster.setAgentPoolCount(pool, current.count + count);
    this.calls.push({ at: this.cluster.now(), op: 'add-nodes', node: `${count}`, pool });
    return Promise.resolve();
  }

  async poolStates(): Promise<PoolView[]> {
    return Promise.resolve(this.cluster.agentPools().map((p) => ({ name: p.name, provisioningState: p.provisioningState })));
  }
}

/** Memory in a ConfigMap-like record with a version, optimistic concurrency as the real store. */
export class InMemoryStore implements MemoryStore {
  private memory: Memory = emptyMemory();
  private version = 0;

  async load(): Promise<{ memory: Memory; version: string | undefined }> {
    // Shared, not copied: the core is pure and the runner builds a new Memory rather than editing one.
    return Promise.resolve({ memory: this.memory, version: this.version === 0 ? undefined : String(this.version) });
  }

  async save(memory: Memory, version: string | undefined): Promise<boolean> {
    const current = this.version === 0 ? undefined : String(this.version);
    if (version !== current) return Promise.resolve(false);
    this.memory = memory;
    this.version++;
    return Promise.resolve(true);
  }

  current(): Memory {
    return this.memory;
  }
}

export class InMemoryLease implements LeaseLock {
  private readonly holders = new Map<string, { holder: string; until: number }>();

  constructor(private readonly now: () => number) {}

  async acquire(name: string, holder: string, durationSeconds: number): Promise<boolean> {
    const held = this.holders.get(name);
    if (held !== undefined && held.holder !== holder && held.until > this.now()) return Promise.resolve(false);
    this.holders.set(name, { holder, until: this.now() + durationSeconds * 1000 });
    return Promise.resolve(true);
  }

  /** Whether this holder has the Lease now (as the Lease adapter reads it back after a 409). */
  heldBy(name: string, holder: string): boolean {
    const held = this.holders.get(name);
    return held !== undefined && held.holder === holder && held.until > this.now();
  }

  async release(name: string, holder: string): Promise<void> {
    if (this.holders.get(name)?.holder === holder) this.holders.delete(name);
    return Promise.resolve();
  }
}

export interface RecordedEvent {
  at: number;
  ref: ObjectRef;
  reason: string;
  message: string;
  type: 'Normal' | 'Warning';
  action: string;
}

export class ListEventSink implements EventSink {
  readonly events: RecordedEvent[] = [];
  /** Keeps the last `limit` events only (a week's ticks emit many). */
  constructor(
    private readonly now: () => number,
    private readonly limit = 10_000,
  ) {}

  async emit(ref: ObjectRef, event: { reason: string; message: string; type: 'Normal' | 'Warning'; action: string }): Promise<void> {
    this.events.push({ at: this.now(), ref, ...event });
    if (this.events.length > this.limit * 2) this.events.splice(0, this.events.length - this.limit);
    return Promise.resolve();
  }
}

// --- the BG job queue ----------------------------------------------------------------------------

export interface QueuedJob {
  id: number;
  enqueuedAt: number;
  durationMs: number;
}

/**
 * A Storage-Queue-like job queue: visible messages waiting, in-flight ones taken by a worker (and
 * invisible until completed or returned). FIFO; the oldest visible message's age is what the
 * worker scaler reads.
 */
export class SimJobQueue {
  private readonly visible: QueuedJob[] = [];
  private head = 0;
  private readonly inFlight = new Map<number, QueuedJob>();
  private nextId = 1;

  constructor(readonly name: string) {}

  enqueue(at: number, durationMs: number): QueuedJob {
    const job = { id: this.nextId++, enqueuedAt: at, durationMs };
    this.visible.push(job);
    return job;
  }

  /** Takes the oldest visible job; it is in flight until completed or returned. */
  dequeue(): QueuedJob | undefined {
    if (this.head >= this.visible.length) return undefined;
    const job = this.visible[this.head++]!;
    if (this.head > 1024 && this.head * 2 > this.visible.length) {
      this.visible.splice(0, this.head);
      this.head = 0;
    }
    this.inFlight.set(job.id, job);
    return job;
  }

  complete(id: number): void {
    this.inFlight.delete(id);
  }

  /** A job whose worker died: the message becomes visible again (at the front, it is the oldest). */
  giveBack(id: number): void {
    const job = this.inFlight.get(id);
    if (job === undefined) return;
    this.inFlight.delete(id);
    if (this.head > 0) this.visible[--this.head] = job;
    else this.visible.unshift(job);
  }

  get visibleCount(): number {
    return this.visible.length - this.head;
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  oldestAgeSeconds(now: number): number | undefined {
    const oldest = this.visible[this.head];
    return oldest === undefined ? undefined : Math.max(0, Math.floor((now - oldest.enqueuedAt) / 1000));
  }

  view(now: number): QueueView {
    return { name: this.name, messages: this.visibleCount + this.inFlightCount, oldestAgeSeconds: this.oldestAgeSeconds(now) };
  }
}

/** The QueueDepths port over a set of SimJobQueues. */
export class SimQueueDepths implements QueueDepths {
  constructor(
    private readonly queues: ReadonlyMap<string, SimJobQueue>,
    private readonly now: () => number,
  ) {}

  async read(names: readonly string[]): Promise<QueueView[]> {
    const found: QueueView[] = [];
    const missing: string[] = [];
    for (const name of names) {
      const queue = this.queues.get(name);
      if (queue === undefined) missing.push(name);
      else found.push(queue.view(this.now()));
    }
    if (missing.length > 0) throw new QueueNotFoundError('simulated', missing, found);
    return Promise.resolve(found);
  }
}
