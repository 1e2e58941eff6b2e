// The simulated AKS cluster: one in-memory world, in simulated time, behind both the Kubernetes API
// test server (sim/kube-api-server.ts) and the embedded simulator. It holds the API objects as the
// API server stores them and answers the API's operations with its semantics (resourceVersion
// conflicts, graceful pod deletion, the Eviction API and PodDisruptionBudgets, the scale
// subresource), runs the controllers that matter for scaling (ReplicaSet, Deployment, DaemonSet,
// scheduler, kubelet, node lifecycle, taint manager, disruption), and implements the Azure side
// (agent pools, scale-set VMs and their power states) as SimCompute.
//
// Nothing here reads the real clock or a random source: time moves only with `advance`, and a seed
// fixes every generated name and uid. Controllers run when time moves (`advance(0)` runs them
// without moving it), so a client sees a short controller lag, as on a real cluster; PDB status is
// the exception, always current when read, like a disruption controller that never falls behind.

import { AgentPools, type AgentPoolSpec, type PoolState, type VmDurations, type VmLifecycle, type VmState } from './agent-pools';
import { admitEvent, defaultDeployment, defaultPod, nameProblem, validateDeployment, validateEventsV1, validateLease, validatePdb, validatePod, validatePodUpdate } from './admission';
import { aksNode, AKS_DAEMONSETS, DEFAULT_IDENTITY, nodeResourceGroup, UNREACHABLE_TAINT, NOT_READY_TAINT, type CloudIdentity, type DaemonSetSpec } from './aks-objects';
import { ApiError, alreadyExists, badRequest, conflict, internalError, invalid, notFound } from './api-errors';
import { formatTime, parseTime, Timeline } from './clock';
import type { AgentPoolProvisioningState, SimAgentPool, SimCompute, SimVm } from './compute';
import { budgetRefusal, evictionVerdict, expectedScale, pdbStatus, withDisruption, type ControllerScale } from './disruption';
import { coreToEventsV1, eventsV1ToCore } from './event-conversion';
import { matchesFields, parseFieldSelector, pinnedValue } from './field-selector';
import { decodeContinue, encodeContinue, objectKey, ObjectStore, type StoreObserver } from './object-store';
import {
  cloneJson,
  conditionOf,
  controllerOf,
  isNodeReady,
  isPodReady,
  isRecord,
  isTerminal,
  sameJson,
  type Condition,
  type DeepReadonly,
  type Deployment,
  type KubeObject,
  type Node,
  type OwnerReference,
  type Pod,
  type PodDisruptionBudget,
  type ReplicaSet,
  type Taint,
} from './objects';
import { applyPatch, type PatchType } from './patch';
import { PdbIndex } from './pdb-index';
import { PodIndex, type PodRuntime, type PodWork, type Usage } from './pod-index';
import { draftPod, markFinished, markNotReady, markReady, markRunning, markScheduled, markTerminating, markUnschedulable, type DisruptionReason } from './pod-status';
import { cordonTainted, startedNode, stoppedNode } from './node-lifecycle';
import { daemonSetStatus, deploymentStatus, isActive, replicaSetStatus } from './workload-status';
import { podsToDelete } from './pod-deletion-order';
import { SeededRandom } from './random';
import {
  apiVersionOf,
  DAEMON_SETS,
  DEPLOYMENTS,
  EVENTS,
  NAMESPACES,
  NODES,
  PDBS,
  PODS,
  REPLICA_SETS,
  RESOURCES,
  storageResource,
  type ResourceType,
  type StoredKind,
} from './resources';
import { podShape, schedule as schedulePods, toleratesTaint, type PendingPod, type SchedulingNode } from './scheduler';
import { daemonSetObject, deploymentObject, jobPodObject, pdbObject, podFromTemplate, replicaSetFor, scaleOf, templateHash, type DeploymentSpec, type JobPodSpec, type PdbSpec, type Scale } from './workloads';
import { matchesSelector, parseSelector, selectorFromKubernetes } from '../core/selector';
import { cpuMilli, memoryBytes, parseQuantity } from '../core/quantity';
import type { LabelSelector } from '../core/views';

export type { PodWork } from './pod-index';
export type { Scale } from './workloads';

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

export interface SimClusterOptions {
  /** Fixes every generated uid and name; default 1. */
  seed?: number;
  /** Simulated start: epoch ms or RFC 3339; default 2026-11-01T00:00:00Z. */
  start?: number | string;
  durations?: Partial<SimDurations>;
  identity?: Partial<CloudIdentity>;
  /** DaemonSets on every node; default the AKS ones (kube-proxy, azure-cns, …). */
  daemonSets?: readonly DaemonSetSpec[];
}

export interface AksClusterOptions extends SimClusterOptions {
  pools: readonly AgentPoolSpec[];
  /** Namespaces to create besides default, kube-system, kube-public and kube-node-lease. */
  namespaces?: readonly string[];
}

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

export interface ObjectRef {
  name: string;
  /** Required for namespaced resources. */
  namespace?: string;
}

export interface ListOptions {
  /** Only this namespace; all namespaces when absent. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  /** The `metadata.continue` of the previous page. */
  continue?: string;
}

export interface ListResult {
  apiVersion: string;
  kind: string;
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  /** Items as stored (with kind and apiVersion); the HTTP server strips those, as the API does. */
  items: DeepReadonly<KubeObject>[];
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
}

const DEFAULT_START = Date.parse('2026-11-01T00:00:00Z');
const DS_POD_TOLERATIONS = [{ operator: 'Exists' as const }];
const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';
const BASE_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
/** Controllers settle a change in a few rounds; the cap only keeps a controller bug from hanging a simulation. */
const MAX_RECONCILE_ROUNDS = 50;

function getOrAdd<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

function podKeyOf(pod: DeepReadonly<Pod> | Pod): string {
  return objectKey(pod.metadata.namespace, pod.metadata.name);
}

function isDaemonPod(pod: DeepReadonly<Pod>): boolean {
  return controllerOf(pod)?.kind === 'DaemonSet';
}

function isMirrorPod(pod: DeepReadonly<Pod>): boolean {
  return pod.metadata.annotations?.[MIRROR_ANNOTATION] !== undefined;
}

/**
 * A new version of a stored object with another status, as a controller writes it: the rest is
 * shared with the stored version (stored objects are never mutated; see draftPod), metadata copied
 * since storing sets its resourceVersion. (A deep copy per status write was a visible part of a
 * simulated week: every pod turning Ready rewrites its ReplicaSet's and Deployment's status.)
 */
function withStatus<T extends KubeObject>(object: T, status: unknown): T {
  return { ...object, metadata: { ...object.metadata }, status };
}

/** The object as compared for a no-op write: its resourceVersion left out (undefined members do not serialise). */
function withoutVersion(object: KubeObject): unknown {
  return { ...object, metadata: { ...object.metadata, resourceVersion: undefined } };
}

export class SimCluster implements SimCompute {
  readonly subscription: string;
  readonly resourceGroup: string;
  readonly clusterName: string;
  readonly nodeResourceGroup: string;
  readonly location: string;
  readonly identity: CloudIdentity;
  readonly durations: SimDurations;
  /** Pods whose work was cut short (VM stopped under them, grace period too short), oldest first. */
  readonly interruptions: Interruption[] = [];

  private readonly timeline: Timeline;
  private readonly random: SeededRandom;
  private readonly store = new ObjectStore();
  private readonly compute: AgentPools;
  private readonly daemonSets: readonly DaemonSetSpec[];
  private readonly listeners = new Set<SimListener>();

  // Indexes, kept on every write so that no operation walks all pods.
  private readonly podIndex = new PodIndex({
    ownerChanged: (namespace, owner) => {
      if (owner.kind === 'ReplicaSet') this.dirtyReplicaSets.add(objectKey(namespace, owner.name));
      else if (owner.kind === 'DaemonSet') this.dirtyDaemonSets.add(owner.name);
    },
    daemonPodRemoved: (node) => this.dirtyNodes.add(node),
    schedulingNeeded: () => {
      this.schedulingNeeded = true;
    },
  });
  private readonly pdbIndex = new PdbIndex();
  private readonly nodeVms = new Map<string, { pool: PoolState; vm: VmState }>();
  private readonly replicaSetOfDeployment = new Map<string, string>();
  /** Imported Deployments whose ReplicaSet may exist only through their pods' owner references. */
  private readonly adoptable = new Set<string>();
  private readonly eventExpiry: { at: number; key: string; uid: string }[] = [];
  private eventExpiryHead = 0;
  private nextIp = 0;
  private readonly conditionCache = new Map<string, Condition>();
  private conditionCacheTime = '';

  // What the controllers have to look at on their next round.
  private readonly dirtyNodes = new Set<string>();
  private readonly dirtyReplicaSets = new Set<string>();
  private readonly dirtyDeployments = new Set<string>();
  private readonly dirtyDaemonSets = new Set<string>();
  private schedulingNeeded = false;
  /** Inside settle(): pods start the moment they are bound. */
  private instant = false;

  constructor(options: SimClusterOptions = {}) {
    const start = typeof options.start === 'string' ? parseTime(options.start) : options.start;
    if (typeof options.start === 'string' && start === undefined) throw new RangeError(`start "${options.start}": expected an RFC 3339 time`);
    this.timeline = new Timeline(start ?? DEFAULT_START);
    this.random = new SeededRandom(options.seed ?? 1);
    this.durations = { ...DEFAULT_DURATIONS, ...options.durations };
    this.identity = { ...DEFAULT_IDENTITY, ...options.identity };
    this.subscription = this.identity.subscription;
    this.resourceGroup = this.identity.resourceGroup;
    this.clusterName = this.identity.clusterName;
    this.location = this.identity.location;
    this.nodeResourceGroup = nodeResourceGroup(this.identity);
    this.daemonSets = options.daemonSets ?? AKS_DAEMONSETS;
    this.compute = new AgentPools(this.timeline, this.durations, this.identity, this.vmLifecycle());
    for (const namespace of BASE_NAMESPACES) this.addNamespace(namespace);
    for (const spec of this.daemonSets) this.createObject(DAEMON_SETS, daemonSetObject(spec));
  }

  /**
   * A realistic AKS cluster, settled: the pools' VMs running, their nodes Ready with AKS labels and
   * DaemonSet pods. Add workloads with addDeployment / addPdb / addJobPod.
   */
  static aks(options: AksClusterOptions): SimCluster {
    const cluster = new SimCluster(options);
    for (const namespace of options.namespaces ?? []) cluster.addNamespace(namespace);
    for (const pool of options.pools) cluster.addPool(pool);
    cluster.settle();
    return cluster;
  }

  // -------------------------------------------------------------------------------------------
  // Time

  /** The cluster-wide resourceVersion: it moves on with every write, so equal means unchanged. */
  resourceVersion(): string {
    return this.store.resourceVersion();
  }

  /** Simulated epoch milliseconds. */
  now(): number {
    return this.timeline.now();
  }

  nowIso(): string {
    return new Date(this.timeline.now()).toISOString();
  }

  /**
   * Moves simulated time on by `ms`, running every happening due on the way (grace periods ending,
   * VMs booting) and the controllers after each. `advance(0)` runs the controllers only.
   */
  advance(ms: number): void {
    if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`advance(${ms}): expected a finite, non-negative number of milliseconds`);
    const end = this.timeline.now() + ms;
    this.reconcile();
    for (;;) {
      const due = this.timeline.nextDue();
      if (due === undefined || due > end) break;
      this.timeline.runUntil(due);
      this.reconcile();
    }
    this.timeline.runUntil(end);
    this.reconcile();
  }

  /**
   * Runs the controllers until nothing is left to do, with pods starting the moment they are bound:
   * for building a cluster that looks as if it had been running for a while.
   */
  settle(): void {
    this.instant = true;
    try {
      this.advance(0);
    } finally {
      this.instant = false;
    }
  }

  subscribe(listener: SimListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // -------------------------------------------------------------------------------------------
  // Building

  addNamespace(name: string): DeepReadonly<KubeObject> {
    const existing = this.store.get('Namespace', undefined, name);
    if (existing !== undefined) return existing;
    return this.createObject(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name, uid: '', resourceVersion: '', creationTimestamp: '' }, spec: { finalizers: ['kubernetes'] } });
  }

  addPool(spec: AgentPoolSpec): void {
    this.compute.addPool(spec);
  }

  /** A Deployment; its ReplicaSet and pods are created, scheduled and started at once (settled). */
  addDeployment(spec: DeploymentSpec): DeepReadonly<Deployment> {
    this.addNamespace(spec.namespace ?? 'default');
    const created = this.createObject(DEPLOYMENTS, deploymentObject(spec)) as Deployment;
    this.settle();
    return this.store.get<Deployment>('Deployment', created.metadata.namespace, created.metadata.name) ?? created;
  }

  addPdb(spec: PdbSpec): DeepReadonly<PodDisruptionBudget> {
    this.addNamespace(spec.namespace ?? 'default');
    const created = this.createObject(PDBS, pdbObject(spec)) as PodDisruptionBudget;
    return this.pdb(created.metadata.namespace, created.metadata.name) ?? created;
  }

  /** A Job's pod (no Job controller: the pod is owned by a Job reference), scheduled and started at once. */
  addJobPod(spec: JobPodSpec): DeepReadonly<Pod> {
    this.addNamespace(spec.namespace ?? 'default');
    const jobUid = this.random.uuid();
    const pod = jobPodObject(spec, this.random.safeString(5), jobUid);
    const created = this.createObject(PODS, pod) as Pod;
    const work: PodWork = { then: 'succeed', onSigterm: 'ignore' };
    if (spec.runsForMs !== undefined) work.runsForMs = spec.runsForMs;
    this.setPodWork({ namespace: created.metadata.namespace, name: created.metadata.name }, work);
    this.settle();
    return this.pod(created.metadata.namespace, created.metadata.name) ?? created;
  }

  /**
   * Stores objects as they are (status included), e.g. from test builders or a kubectl dump:
   * Nodes, Pods (bound as given), PDBs, Deployments (which adopt the pods of their ReplicaSet),
   * ConfigMaps, Leases, Namespaces. Namespaces are created as needed.
   */
  import(...objects: readonly (object | readonly object[])[]): void {
    for (const raw of objects.flat()) {
      if (!isRecord(raw) || typeof raw.kind !== 'string' || !isRecord(raw.metadata) || typeof raw.metadata.name !== 'string') {
        throw new TypeError('import: expected Kubernetes objects with kind and metadata.name');
      }
      const resource = RESOURCES.find((r) => r.kind === raw.kind && r !== EVENTS);
      if (resource === undefined) throw new TypeError(`import: kind ${raw.kind} is not simulated`);
      const object = { apiVersion: apiVersionOf(resource), kind: resource.kind, ...cloneJson(raw) } as KubeObject;
      object.apiVersion = apiVersionOf(resource);
      if (resource === PODS || resource === NODES) {
        if (!isRecord(object.spec)) object.spec = resource === PODS ? { containers: [] } : {};
        if (!isRecord(object.status)) object.status = {};
      }
      object.metadata.uid = typeof object.metadata.uid === 'string' && object.metadata.uid !== '' ? object.metadata.uid : this.random.uuid();
      object.metadata.creationTimestamp ??= formatTime(this.now());
      if (resource.namespaced) {
        object.metadata.namespace ??= 'default';
        this.addNamespace(object.metadata.namespace);
      }
      if (this.store.get(resource.stored, object.metadata.namespace, object.metadata.name) !== undefined) {
        throw alreadyExists(resource, object.metadata.name);
      }
      if (resource.generation) object.metadata.generation ??= 1;
      if (resource === DEPLOYMENTS) this.adoptable.add(objectKey(object.metadata.namespace, object.metadata.name));
      this.writeObject(resource, undefined, object);
      const pod = object as Pod;
      if (resource === PODS && pod.spec?.nodeName !== undefined && pod.spec.nodeName !== '' && (pod.status?.phase ?? 'Pending') === 'Pending') {
        this.scheduleStart(podKeyOf(pod), pod.metadata.uid);
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // Fast, read-only views (no copies): what the simulator and tests read. Do not mutate.

  node(name: string): DeepReadonly<Node> | undefined {
    return this.store.get<Node>('Node', undefined, name);
  }

  nodes(): DeepReadonly<Node>[] {
    return [...this.store.values<Node>('Node')];
  }

  pod(namespace: string, name: string): DeepReadonly<Pod> | undefined {
    return this.store.get<Pod>('Pod', namespace, name);
  }

  /** Every pod; iterate, do not hold on to it across writes. */
  pods(): IterableIterator<DeepReadonly<Pod>> {
    return this.store.values<Pod>('Pod');
  }

  /**
   * Every stored object of `kind` now, then each write of one as it happens (undefined: removed),
   * in the order `pods()` / `nodes()` walk them: for views kept up to date incrementally rather
   * than rebuilt by a walk over every pod. Returns the unsubscribe.
   */
  observe(kind: StoredKind, observer: StoreObserver): () => void {
    return this.store.observe(kind, observer);
  }

  podsOnNode(name: string): DeepReadonly<Pod>[] {
    const out: DeepReadonly<Pod>[] = [];
    for (const key of this.podIndex.onNode(name)) {
      const pod = this.store.getByKey<Pod>('Pod', key);
      if (pod !== undefined) out.push(pod);
    }
    return out;
  }

  /** Pods waiting for a node (not bound, not being deleted). */
  pendingPods(): DeepReadonly<Pod>[] {
    const out: DeepReadonly<Pod>[] = [];
    for (const key of this.podIndex.pending()) {
      const pod = this.store.getByKey<Pod>('Pod', key);
      if (pod !== undefined) out.push(pod);
    }
    return out;
  }

  deployment(namespace: string, name: string): DeepReadonly<Deployment> | undefined {
    return this.store.get<Deployment>('Deployment', namespace, name);
  }

  /** The PDB with its status as the disruption controller would have it now. */
  pdb(namespace: string, name: string): DeepReadonly<PodDisruptionBudget> | undefined {
    const key = objectKey(namespace, name);
    this.refreshPdb(key);
    return this.store.getByKey<PodDisruptionBudget>('PodDisruptionBudget', key);
  }

  /** Requested pods, cpu (millicores) and memory (bytes) of the pods bound to a node. */
  nodeUsage(name: string): Readonly<Usage> {
    return { ...this.podIndex.usage(name) };
  }

  /** Sets the work a pod is doing (see PodWork); the simulator's hook into the kubelet. */
  setPodWork(ref: { namespace: string; name: string }, work: PodWork): void {
    const key = objectKey(ref.namespace, ref.name);
    const pod = this.store.getByKey<Pod>('Pod', key);
    const runtime = this.podIndex.runtime(key);
    if (pod === undefined || runtime === undefined) throw notFound(PODS, ref.name);
    runtime.work = { ...work };
    runtime.workToken++;
    if (runtime.work.endsAt === undefined && runtime.work.runsForMs !== undefined && pod.status.phase === 'Running') {
      runtime.work.endsAt = this.now() + runtime.work.runsForMs;
    }
    this.scheduleWork(key, runtime);
    if (pod.metadata.deletionTimestamp !== undefined) this.scheduleTermination(key, runtime);
  }

  /**
   * What a readiness probe reports: the kubelet sets the pod's Ready and ContainersReady conditions
   * (a running pod only). The simulator's hook for a sick or overloaded replica.
   */
  setPodReady(ref: { namespace: string; name: string }, ready: boolean): void {
    const key = objectKey(ref.namespace, ref.name);
    const pod = this.store.getByKey<Pod>('Pod', key);
    if (pod === undefined) throw notFound(PODS, ref.name);
    if (pod.status.phase !== 'Running' || isPodReady(pod) === ready) return;
    const now = formatTime(this.now());
    this.updatePod(key, (p) => (ready ? markReady(p, now, false) : markNotReady(p, now, 'ContainersNotReady')));
  }

  podWork(namespace: string, name: string): Readonly<PodWork> | undefined {
    const work = this.podIndex.runtime(objectKey(namespace, name))?.work;
    return work === undefined ? undefined : { ...work };
  }

  // -------------------------------------------------------------------------------------------
  // The API's operations, with Kubernetes semantics; errors are ApiError (code + Status).

  get(resource: ResourceType, ref: ObjectRef): DeepReadonly<KubeObject> {
    const namespace = this.namespaceOf(resource, ref.namespace);
    const key = objectKey(namespace, ref.name);
    if (resource.stored === 'PodDisruptionBudget') this.refreshPdb(key);
    const object = this.store.getByKey(resource.stored, key);
    if (object === undefined) throw notFound(resource, ref.name);
    return this.present(resource, object);
  }

  list(resource: ResourceType, options: ListOptions = {}): ListResult {
    const kind = resource.stored;
    const namespace = resource.namespaced ? options.namespace : undefined;
    if (options.limit !== undefined && (!Number.isInteger(options.limit) || options.limit < 0)) throw badRequest(`limit must be a non-negative integer`);
    let labels: LabelSelector | undefined;
    if (options.labelSelector !== undefined && options.labelSelector !== '') {
      const parsed = parseSelector(options.labelSelector);
      if (!parsed.ok) throw badRequest(`unable to parse requirement: ${parsed.error}`);
      labels = parsed.selector;
    }
    const fields = parseFieldSelector(options.fieldSelector ?? '', kind);
    let token: ReturnType<typeof decodeContinue> | undefined;
    if (options.continue !== undefined && options.continue !== '') token = decodeContinue(options.continue);
    if (kind === 'PodDisruptionBudget') for (const key of this.pdbIndex.staleKeys()) this.refreshPdb(key);

    // Pods by node come from the index: a drain's "pods on this node" must not walk 150,000 pods.
    let candidates: Iterable<string> | undefined;
    if (kind === 'Pod') {
      const node = pinnedValue(fields, 'spec.nodeName');
      if (node !== undefined) candidates = node === '' ? this.unboundPodKeys() : this.podIndex.onNode(node);
    }
    const name = pinnedValue(fields, 'metadata.name');
    if (candidates === undefined && name !== undefined) {
      candidates = namespace !== undefined || !resource.namespaced ? [objectKey(namespace, name)] : undefined;
    }
    const filter =
      labels === undefined && fields.length === 0
        ? undefined
        : (object: KubeObject): boolean =>
            (labels === undefined || matchesSelector(labels, object.metadata.labels ?? {})) && (fields.length === 0 || matchesFields(fields, kind, object));
    const page = this.store.page(kind, {
      ...(namespace !== undefined ? { namespace } : {}),
      ...(candidates !== undefined ? { candidates } : {}),
      ...(filter !== undefined ? { filter } : {}),
      ...(options.limit !== undefined ? { limit: options.limit } : {}),
      ...(token !== undefined ? { after: token.start } : {}),
    });
    // A continued list reports the resourceVersion of its first page, as the API server does.
    const rv = token !== undefined ? String(token.rv) : this.store.resourceVersion();
    const metadata: ListResult['metadata'] = { resourceVersion: rv };
    if (page.lastKey !== undefined) {
      metadata.continue = encodeContinue({ rv: Number(rv), start: page.lastKey });
      if (page.remaining !== undefined) metadata.remainingItemCount = page.remaining;
    }
    return {
      apiVersion: apiVersionOf(resource),
      kind: resource.listKind,
      metadata,
      items: resource === EVENTS ? page.items.map((e) => coreToEventsV1(e)) : page.items,
    };
  }

  create(resource: ResourceType, body: unknown, namespace?: string): DeepReadonly<KubeObject> {
    const object = this.decode(resource, body);
    if (resource.namespaced) {
      if (namespace === undefined || namespace === '') throw badRequest(`${resource.plural} must be created in a namespace`);
      if (object.metadata.namespace !== undefined && object.metadata.namespace !== '' && object.metadata.namespace !== namespace) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      object.metadata.namespace = namespace;
      if (this.store.get('Namespace', undefined, namespace) === undefined) throw notFound(NAMESPACES, namespace);
    } else delete object.metadata.namespace;
    const created = this.createObject(resource, object);
    // A pod created with spec.nodeName skips the scheduler: that node's kubelet picks it up.
    if (resource.stored === 'Pod' && (created as Pod).spec.nodeName !== undefined && (created as Pod).spec.nodeName !== '') {
      this.scheduleStart(podKeyOf(created as Pod), created.metadata.uid);
    }
    return this.present(resource, created);
  }

  replace(resource: ResourceType, ref: ObjectRef, body: unknown): DeepReadonly<KubeObject> {
    const namespace = this.namespaceOf(resource, ref.namespace);
    const next = this.decode(resource, body);
    if (next.metadata.name !== ref.name) throw badRequest(`the name of the object (${next.metadata.name}) does not match the name on the URL (${ref.name})`);
    if (resource.namespaced && next.metadata.namespace !== undefined && next.metadata.namespace !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    const previous = this.store.get(resource.stored, namespace, ref.name);
    if (previous === undefined) throw notFound(resource, ref.name);
    return this.present(resource, this.updateObject(resource, previous, next));
  }

  patch(resource: ResourceType, ref: ObjectRef, patch: unknown, type: PatchType): DeepReadonly<KubeObject> {
    const namespace = this.namespaceOf(resource, ref.namespace);
    const previous = this.store.get(resource.stored, namespace, ref.name);
    if (previous === undefined) throw notFound(resource, ref.name);
    const shown = this.present(resource, previous) as KubeObject;
    const patched = applyPatch(shown, patch, type);
    const next = this.decode(resource, patched);
    // A patch that does not name a resourceVersion applies to whatever is current.
    const patchedVersion = next.metadata.resourceVersion;
    if (patchedVersion === shown.metadata.resourceVersion) next.metadata.resourceVersion = '';
    return this.present(resource, this.updateObject(resource, previous, next));
  }

  /**
   * Deletes an object. A pod on a node is deleted gracefully: it gets a deletionTimestamp (now +
   * grace) and stays, Terminating, until its process exits or the grace period ends. Returns the
   * object as deleted (or as now terminating).
   */
  delete(resource: ResourceType, ref: ObjectRef, options: DeleteOptions = {}): DeepReadonly<KubeObject> {
    const namespace = this.namespaceOf(resource, ref.namespace);
    const object = this.store.get(resource.stored, namespace, ref.name);
    if (object === undefined) throw notFound(resource, ref.name);
    this.checkPreconditions(resource, object, options.preconditions);
    if (options.gracePeriodSeconds !== undefined && (!Number.isInteger(options.gracePeriodSeconds) || options.gracePeriodSeconds < 0)) {
      throw invalid(resource, ref.name, [{ field: 'gracePeriodSeconds', message: `Invalid value: ${options.gracePeriodSeconds}: must be greater than or equal to 0` }]);
    }
    switch (resource.stored) {
      case 'Pod':
        return this.present(resource, this.deletePod(objectKey(namespace, ref.name), options.gracePeriodSeconds));
      case 'Node':
        return this.deleteNode(ref.name, 'node-deleted');
      case 'Namespace':
        return this.deleteNamespace(ref.name);
      default:
        return this.present(resource, this.removeObject(resource.stored, object, options.propagationPolicy !== 'Orphan'));
    }
  }

  /**
   * policy/v1 Eviction, as the API server's eviction subresource: a 429 when the pod's PDB allows no
   * disruption, a 500 when more than one PDB selects the pod, a 404 when the pod is gone; an allowed
   * eviction is a graceful delete and takes one from the PDB's disruptionsAllowed.
   */
  evict(ref: { namespace: string; name: string }, body: unknown = {}): void {
    const key = objectKey(ref.namespace, ref.name);
    if (!isRecord(body)) throw badRequest('the body of an eviction must be a policy/v1 Eviction');
    const meta = isRecord(body.metadata) ? body.metadata : {};
    if (typeof meta.name === 'string' && meta.name !== '' && meta.name !== ref.name) throw badRequest('name in URL does not match name in Eviction object');
    if (typeof meta.namespace === 'string' && meta.namespace !== '' && meta.namespace !== ref.namespace) {
      throw badRequest('namespace in URL does not match namespace in Eviction object');
    }
    const options = isRecord(body.deleteOptions) ? (body.deleteOptions as DeleteOptions) : {};
    const pod = this.store.getByKey<Pod>('Pod', key);
    if (pod === undefined) throw notFound(PODS, ref.name);
    this.checkPreconditions(PODS, pod, options.preconditions);

    // Finished, not yet running or already going: no budget to check (canIgnorePDB).
    const phase = pod.status.phase ?? 'Pending';
    if (phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || pod.metadata.deletionTimestamp !== undefined) {
      this.deletePod(key, options.gracePeriodSeconds, 'EvictionByEvictionAPI');
      return;
    }
    const pdbs = this.pdbIndex.selecting(key, pod.metadata.namespace);
    if (pdbs.length > 1) throw internalError('This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
    const pdbKey = pdbs[0];
    if (pdbKey !== undefined) {
      this.refreshPdb(pdbKey);
      const pdb = this.store.getByKey<PodDisruptionBudget>('PodDisruptionBudget', pdbKey)!;
      const verdict = evictionVerdict(pod, pdb);
      if (verdict === 'refused') throw budgetRefusal(pdb);
      if (verdict === 'takes-a-disruption') this.store.put('PodDisruptionBudget', withDisruption(pdb, pod.metadata.name, formatTime(this.now())));
    }
    this.deletePod(key, options.gracePeriodSeconds, 'EvictionByEvictionAPI');
  }

  getScale(ref: { namespace: string; name: string }): Scale {
    const deployment = this.store.get<Deployment>('Deployment', ref.namespace, ref.name);
    if (deployment === undefined) throw notFound(DEPLOYMENTS, ref.name);
    return scaleOf(deployment);
  }

  replaceScale(ref: { namespace: string; name: string }, body: unknown): Scale {
    const deployment = this.store.get<Deployment>('Deployment', ref.namespace, ref.name);
    if (deployment === undefined) throw notFound(DEPLOYMENTS, ref.name);
    if (!isRecord(body) || !isRecord(body.spec)) throw badRequest('the body of a scale update must be an autoscaling/v1 Scale');
    const meta = isRecord(body.metadata) ? body.metadata : {};
    if (typeof meta.name === 'string' && meta.name !== ref.name) throw badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${ref.name})`);
    if (typeof meta.resourceVersion === 'string' && meta.resourceVersion !== '' && meta.resourceVersion !== deployment.metadata.resourceVersion) {
      throw conflict(DEPLOYMENTS, ref.name);
    }
    const replicas = body.spec.replicas;
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
      throw invalid({ group: 'autoscaling', kind: 'Scale', plural: 'scales' }, ref.name, [
        { field: 'spec.replicas', message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0` },
      ]);
    }
    const next = cloneJson(deployment);
    next.spec.replicas = replicas;
    const stored = this.updateObject(DEPLOYMENTS, deployment, next) as Deployment;
    return scaleOf(stored);
  }

  patchScale(ref: { namespace: string; name: string }, patch: unknown, type: PatchType): Scale {
    const current = this.getScale(ref);
    const patched = applyPatch(current, patch, type);
    if (isRecord(patched) && isRecord(patched.metadata) && patched.metadata.resourceVersion === current.metadata.resourceVersion) {
      patched.metadata.resourceVersion = '';
    }
    return this.replaceScale(ref, patched);
  }

  // -------------------------------------------------------------------------------------------
  // SimCompute: the Azure side

  agentPools(): SimAgentPool[] {
    return this.compute.allPools().map((pool) => this.compute.describe(pool));
  }

  setAgentPoolCount(pool: string, count: number): void {
    this.compute.setCount(pool, count);
  }

  setAgentPoolOperation(pool: string, state: AgentPoolProvisioningState | undefined): void {
    this.compute.setOperation(pool, state);
  }

  scaleSetVms(scaleSet: string): SimVm[] | undefined {
    return this.compute.vms(scaleSet);
  }

  /** How many of the scale set's VMs are in each power state: what the simulator measures every step, without listing them. */
  scaleSetPowerStates(scaleSet: string): ReadonlyMap<SimVm['powerState'], number> | undefined {
    return this.compute.powerStates(scaleSet);
  }

  startVm(scaleSet: string, instanceId: string): boolean {
    return this.compute.start(scaleSet, instanceId);
  }

  deallocateVm(scaleSet: string, instanceId: string): boolean {
    return this.compute.deallocate(scaleSet, instanceId);
  }

  // -------------------------------------------------------------------------------------------
  // Storage: every write goes through here, so the indexes and controllers see it.

  private namespaceOf(resource: ResourceType, namespace: string | undefined): string | undefined {
    if (!resource.namespaced) return undefined;
    if (namespace === undefined || namespace === '') throw badRequest(`a namespace is required for ${resource.plural}`);
    return namespace;
  }

  /** What a client sees: events.k8s.io Events in their own shape, everything else as stored. */
  private present(resource: ResourceType, object: KubeObject): DeepReadonly<KubeObject> {
    return resource === EVENTS ? coreToEventsV1(object) : object;
  }

  /** A request body as an object of `resource`: a JSON object with metadata, the right kind and apiVersion. */
  private decode(resource: ResourceType, body: unknown): KubeObject {
    if (!isRecord(body)) throw badRequest(`the body of the request must be a JSON object (a ${resource.kind})`);
    // apiVersion and kind first, as the API server writes objects (the list writer relies on it).
    const object = { apiVersion: body.apiVersion, kind: body.kind, ...cloneJson(body) } as KubeObject;
    if (object.kind !== undefined && object.kind !== resource.kind) {
      throw badRequest(`${resource.kind} in version "${resource.version}" cannot be handled as a ${resource.kind}: the kind of the object (${String(object.kind)}) is not ${resource.kind}`);
    }
    const apiVersion = apiVersionOf(resource);
    if (object.apiVersion !== undefined && object.apiVersion !== apiVersion) {
      throw badRequest(`the API version in the data (${String(object.apiVersion)}) does not match the expected API version (${apiVersion})`);
    }
    if (object.metadata === undefined) object.metadata = {} as KubeObject['metadata'];
    if (!isRecord(object.metadata)) throw badRequest(`${resource.kind} in version "${resource.version}" cannot be handled as a ${resource.kind}: metadata must be an object`);
    object.apiVersion = apiVersion;
    object.kind = resource.kind;
    const converted = resource === EVENTS ? eventsV1ToCore(object) : object;
    if (resource === EVENTS) validateEventsV1(resource, object);
    return converted;
  }

  private checkPreconditions(resource: ResourceType, object: KubeObject, preconditions: DeleteOptions['preconditions']): void {
    if (preconditions === undefined) return;
    if (preconditions.uid !== undefined && preconditions.uid !== object.metadata.uid) {
      throw new ApiError(409, 'Conflict', `Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${object.metadata.uid}`, {
        name: object.metadata.name,
        kind: resource.plural,
      });
    }
    if (preconditions.resourceVersion !== undefined && preconditions.resourceVersion !== object.metadata.resourceVersion) {
      throw new ApiError(
        409,
        'Conflict',
        `Precondition failed: ResourceVersion in precondition: ${preconditions.resourceVersion}, ResourceVersion in object meta: ${object.metadata.resourceVersion}`,
        { name: object.metadata.name, kind: resource.plural },
      );
    }
  }

  /** Create: name (or generateName), uid, times, defaults and validation, then store. */
  private createObject(resource: ResourceType, object: KubeObject): KubeObject {
    const meta = object.metadata;
    const storage = storageResource(resource.stored);
    if ((meta.name === undefined || meta.name === '') && typeof meta.generateName === 'string' && meta.generateName !== '') {
      do meta.name = `${meta.generateName}${this.random.safeString(5)}`;
      while (this.store.get(resource.stored, meta.namespace, meta.name) !== undefined);
    }
    if (typeof meta.name !== 'string' || meta.name === '') {
      throw invalid(resource, '', [{ field: 'metadata.name', message: 'Required value: name or generateName is required' }]);
    }
    const problem = nameProblem(resource, meta.name);
    if (problem !== undefined) throw invalid(resource, meta.name, [{ field: 'metadata.name', message: problem }]);
    if (this.store.get(resource.stored, meta.namespace, meta.name) !== undefined) throw alreadyExists(resource, meta.name);
    meta.uid = this.random.uuid();
    meta.creationTimestamp = formatTime(this.now());
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    if (storage.generation) meta.generation = 1;
    else delete meta.generation;
    this.admit(resource, undefined, object);
    if (storage.statusSubresource && resource.stored !== 'Node' && resource.stored !== 'Pod' && resource.stored !== 'Namespace') delete object.status;
    if (resource.stored === 'Namespace') object.status = { phase: 'Active' };
    return this.writeObject(storage, undefined, object);
  }

  /** Update (PUT or patched): resourceVersion check, immutable metadata, status subresource, generation. */
  private updateObject(resource: ResourceType, previous: KubeObject, next: KubeObject): KubeObject {
    const storage = storageResource(resource.stored);
    const version = next.metadata.resourceVersion;
    if (version !== undefined && version !== '' && version !== previous.metadata.resourceVersion) throw conflict(resource, previous.metadata.name);
    const meta = next.metadata;
    meta.name = previous.metadata.name;
    if (previous.metadata.namespace !== undefined) meta.namespace = previous.metadata.namespace;
    else delete meta.namespace;
    meta.uid = previous.metadata.uid;
    meta.creationTimestamp = previous.metadata.creationTimestamp;
    for (const field of ['deletionTimestamp', 'deletionGracePeriodSeconds', 'generation', 'generateName'] as const) {
      if (previous.metadata[field] !== undefined) (meta as Record<string, unknown>)[field] = previous.metadata[field];
      else delete meta[field];
    }
    meta.resourceVersion = previous.metadata.resourceVersion;
    if (storage.statusSubresource) {
      if (previous.status !== undefined) next.status = cloneJson(previous.status);
      else delete next.status;
    }
    this.admit(resource, previous, next);
    if (storage.generation && !sameJson(previous.spec, next.spec)) meta.generation = (previous.metadata.generation ?? 1) + 1;
    // A write that changes nothing keeps the resourceVersion, as on the real server.
    if (sameJson(withoutVersion(previous), withoutVersion(next))) return previous;
    return this.writeObject(storage, previous, next);
  }

  /** Kind-specific defaulting and validation, on create (previous undefined) and update. */
  private admit(resource: ResourceType, previous: KubeObject | undefined, object: KubeObject): void {
    switch (resource.stored) {
      case 'Pod': {
        const pod = object as Pod;
        if (!isRecord(pod.spec)) throw invalid(resource, pod.metadata.name, [{ field: 'spec', message: 'Required value' }]);
        if (previous === undefined) {
          validatePod(resource, pod);
          defaultPod(pod);
        } else validatePodUpdate(resource, previous as Pod, pod);
        break;
      }
      case 'PodDisruptionBudget':
        if (!isRecord(object.spec)) object.spec = {};
        validatePdb(resource, object as PodDisruptionBudget);
        break;
      case 'Deployment':
        validateDeployment(resource, object as Deployment);
        defaultDeployment(object as Deployment);
        break;
      case 'Lease':
        validateLease(resource, object);
        break;
      case 'Event':
        admitEvent(resource, object);
        break;
      case 'Node':
        if (object.spec === undefined) object.spec = {};
        if (object.status === undefined) object.status = {};
        break;
      default:
        break;
    }
  }

  /** Stores a new version (or the first) of an object and lets the indexes and controllers know. */
  private writeObject(resource: ResourceType, previous: KubeObject | undefined, object: KubeObject): KubeObject {
    const stored = this.store.put(resource.stored, object);
    switch (resource.stored) {
      case 'Pod':
        this.indexPod(podKeyOf(stored as Pod), previous as Pod | undefined, stored as Pod);
        break;
      case 'Node':
        this.indexNode(previous as Node | undefined, stored as Node);
        break;
      case 'Deployment': {
        const key = objectKey(stored.metadata.namespace, stored.metadata.name);
        this.dirtyDeployments.add(key);
        const before = (previous as Deployment | undefined)?.spec.replicas;
        if (before !== (stored as Deployment).spec.replicas) this.pdbIndex.staleNamespace(stored.metadata.namespace ?? '');
        break;
      }
      case 'ReplicaSet': {
        this.dirtyReplicaSets.add(objectKey(stored.metadata.namespace, stored.metadata.name));
        const owner = controllerOf(stored);
        if (owner?.kind === 'Deployment') this.dirtyDeployments.add(objectKey(stored.metadata.namespace, owner.name));
        if ((previous as ReplicaSet | undefined)?.spec.replicas !== (stored as ReplicaSet).spec.replicas) this.pdbIndex.staleNamespace(stored.metadata.namespace ?? '');
        break;
      }
      case 'PodDisruptionBudget':
        this.pdbIndex.set(stored as PodDisruptionBudget, previous === undefined || !sameJson(previous.spec, stored.spec), () =>
          this.store.page('Pod', { namespace: stored.metadata.namespace ?? '' }).items as Pod[],
        );
        break;
      case 'Event':
        if (previous === undefined) this.eventExpiry.push({ at: this.now() + this.durations.eventTtlMs, key: objectKey(stored.metadata.namespace, stored.metadata.name), uid: stored.metadata.uid });
        break;
      default:
        break;
    }
    return stored;
  }

  /** Removes an object now; with `cascade`, what it owns goes too (background garbage collection). */
  private removeObject(kind: StoredKind, object: KubeObject, cascade: boolean): KubeObject {
    const removed = this.store.remove(kind, object.metadata.namespace, object.metadata.name);
    if (removed === undefined) return object;
    const key = objectKey(object.metadata.namespace, object.metadata.name);
    switch (kind) {
      case 'Pod':
        this.indexPod(key, removed as Pod, undefined);
        break;
      case 'PodDisruptionBudget':
        this.pdbIndex.remove(object.metadata.namespace ?? '', object.metadata.name);
        break;
      case 'Deployment': {
        const rsKey = this.replicaSetOfDeployment.get(key);
        this.replicaSetOfDeployment.delete(key);
        if (cascade && rsKey !== undefined) {
          const rs = this.store.getByKey('ReplicaSet', rsKey);
          if (rs !== undefined) this.removeObject('ReplicaSet', rs, true);
        }
        break;
      }
      case 'ReplicaSet':
        if (cascade) for (const podKey of [...this.podIndex.ownedBy(removed.metadata.uid)]) this.deletePod(podKey, undefined);
        break;
      default:
        break;
    }
    return removed;
  }

  private deleteNamespace(name: string): DeepReadonly<KubeObject> {
    const namespace = this.store.get('Namespace', undefined, name);
    if (namespace === undefined) throw notFound(NAMESPACES, name);
    // The namespace controller empties it; pods go at once (no kubelet waits on a deleted namespace here).
    for (const resource of RESOURCES) {
      if (!resource.namespaced || resource === EVENTS) continue;
      for (const object of this.store.page(resource.stored, { namespace: name }).items) this.removeObject(resource.stored, object, false);
    }
    return this.removeObject('Namespace', namespace, false);
  }

  // -------------------------------------------------------------------------------------------
  // Indexes

  private indexPod(key: string, previous: Pod | undefined, next: Pod | undefined): void {
    this.podIndex.update(key, previous, next);
    this.pdbIndex.podChanged(key, previous, next);
  }

  private indexNode(previous: Node | undefined, next: Node): void {
    this.dirtyNodes.add(next.metadata.name);
    if (
      previous === undefined ||
      !sameJson(previous.spec, next.spec) ||
      !sameJson(previous.metadata.labels, next.metadata.labels) ||
      isNodeReady(previous) !== isNodeReady(next) ||
      !sameJson(previous.status.allocatable, next.status.allocatable)
    ) {
      this.schedulingNeeded = true;
    }
  }

  private *unboundPodKeys(): Iterable<string> {
    for (const pod of this.store.values<Pod>('Pod')) if (pod.spec.nodeName === undefined || pod.spec.nodeName === '') yield podKeyOf(pod);
  }

  // -------------------------------------------------------------------------------------------
  // Pods: binding, the kubelet (start, work, termination), deletion

  private updatePod(key: string, change: (pod: Pod) => void): Pod | undefined {
    const previous = this.store.getByKey<Pod>('Pod', key);
    if (previous === undefined) return undefined;
    const next = draftPod(previous);
    change(next);
    return this.writeObject(PODS, previous, next) as Pod;
  }

  private nodeUp(name: string | undefined): boolean {
    if (name === undefined || name === '') return false;
    const node = this.store.get<Node>('Node', undefined, name);
    if (node === undefined || !isNodeReady(node)) return false;
    const vm = this.nodeVms.get(name);
    return vm === undefined || vm.vm.powerState === 'running';
  }

  private bindPod(key: string, node: string): void {
    const now = formatTime(this.now());
    // Settling: the kubelet starts the pod in the same write that binds it (half the writes).
    const startNow = this.instant && this.nodeUp(node);
    const pod = this.updatePod(key, (p) => {
      markScheduled(p, node, now);
      if (startNow) this.markRunningNow(p);
    });
    if (pod === undefined) return;
    if (startNow) this.afterStart(key);
    else this.scheduleStart(key, pod.metadata.uid);
  }

  private scheduleStart(key: string, uid: string): void {
    if (this.instant) this.startPod(key, uid);
    else this.timeline.schedule(this.now() + this.durations.podStartMs, () => this.startPod(key, uid));
  }

  /** The kubelet runs the pod (once its node is up): Running, Ready. */
  private startPod(key: string, uid: string): void {
    const pod = this.store.getByKey<Pod>('Pod', key);
    if (pod === undefined || pod.metadata.uid !== uid || pod.status.phase !== 'Pending' || pod.metadata.deletionTimestamp !== undefined) return;
    if (!this.nodeUp(pod.spec.nodeName)) return;
    this.updatePod(key, (p) => this.markRunningNow(p));
    this.afterStart(key);
  }

  private markRunningNow(p: Pod): void {
    const node = this.store.get<Node>('Node', undefined, p.spec.nodeName ?? '');
    const hostIP = node?.status.addresses?.find((a) => a.type === 'InternalIP')?.address;
    const now = formatTime(this.now());
    // DaemonSet pods of AKS use the host network; others get an Azure CNI address from the subnet.
    const podIP = isDaemonPod(p) && hostIP !== undefined ? hostIP : this.nextPodIp();
    markRunning(p, now, { hostIP, podIP }, (type) => this.trueCondition(type, now));
  }

  /**
   * `{type, status: 'True', lastTransitionTime: now}`, one object per type and second shared by all
   * pods that start then (conditions are replaced, never edited, so sharing is safe).
   */
  private trueCondition(type: string, now: string): Condition {
    if (this.conditionCacheTime !== now) {
      this.conditionCache.clear();
      this.conditionCacheTime = now;
    }
    return getOrAdd(this.conditionCache, type, () => Object.freeze({ type, status: 'True', lastProbeTime: null, lastTransitionTime: now }) as Condition);
  }

  /** Work declared as a duration starts counting when the pod runs. */
  private afterStart(key: string): void {
    const runtime = this.podIndex.runtime(key);
    if (runtime?.work !== undefined && runtime.work.endsAt === undefined && runtime.work.runsForMs !== undefined) {
      runtime.work.endsAt = this.now() + runtime.work.runsForMs;
      runtime.workToken++;
      this.scheduleWork(key, runtime);
    }
  }

  private nextPodIp(): string {
    const n = this.nextIp++;
    return `10.244.${Math.floor(n / 250) % 250}.${(n % 250) + 4}`;
  }

  private scheduleWork(key: string, runtime: PodRuntime): void {
    const endsAt = runtime.work?.endsAt;
    if (endsAt === undefined) return;
    const token = runtime.workToken;
    const uid = runtime.uid;
    this.timeline.schedule(endsAt, () => this.workEnded(key, uid, token));
  }

  private workEnded(key: string, uid: string, token: number): void {
    const runtime = this.podIndex.runtime(key);
    const pod = this.store.getByKey<Pod>('Pod', key);
    if (runtime === undefined || pod === undefined || runtime.uid !== uid || runtime.workToken !== token || runtime.dead) return;
    if (pod.metadata.deletionTimestamp !== undefined) {
      this.finishTermination(key, uid);
      return;
    }
    if (pod.status.phase !== 'Running') return;
    if (runtime.work?.then === 'succeed') {
      runtime.work = { ...runtime.work, endsAt: undefined };
      this.completePod(key, 'Succeeded');
    } else if (runtime.work !== undefined) {
      runtime.work = { ...runtime.work, endsAt: undefined };
    }
    const after = this.store.getByKey<Pod>('Pod', key);
    if (after !== undefined) for (const listener of this.listeners) listener.workEnded?.(after);
  }

  private completePod(key: string, phase: 'Succeeded' | 'Failed'): void {
    const now = formatTime(this.now());
    this.updatePod(key, (p) => markFinished(p, phase, now));
  }

  /**
   * Graceful deletion: deletionTimestamp = now + grace, SIGTERM to the process, the pod removed
   * when it exits or the grace runs out. A pod that never ran on a node, or has finished, goes at once.
   */
  private deletePod(key: string, graceSeconds: number | undefined, disruption?: DisruptionReason): Pod {
    const pod = this.store.getByKey<Pod>('Pod', key)!;
    const grace = graceSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
    const bound = pod.spec.nodeName !== undefined && pod.spec.nodeName !== '';
    if (!bound || isTerminal(pod) || grace === 0) {
      this.removeObject('Pod', pod, false);
      return pod;
    }
    const deadline = this.now() + grace * 1000;
    const current = pod.metadata.deletionTimestamp !== undefined ? parseTime(pod.metadata.deletionTimestamp) : undefined;
    // A second delete may only shorten the grace period.
    if (current !== undefined && current <= deadline) return pod;
    const next = this.updatePod(key, (p) => markTerminating(p, formatTime(deadline), grace, disruption, formatTime(this.now())))!;
    const runtime = this.podIndex.runtime(key)!;
    runtime.sigtermAt ??= this.now();
    this.scheduleTermination(key, runtime);
    return next;
  }

  /** When the kubelet will see the process gone: by its SIGTERM behaviour, never after the deadline. */
  private plannedExit(pod: Pod, runtime: PodRuntime): number {
    const deadline = parseTime(pod.metadata.deletionTimestamp!) ?? this.now();
    if (pod.status.phase !== 'Running' || runtime.dead) return Math.min(this.now(), deadline);
    const prompt = (runtime.sigtermAt ?? this.now()) + this.durations.sigtermExitMs;
    const behaviour = runtime.work?.onSigterm ?? 'exit';
    const exit = behaviour === 'ignore' ? deadline : behaviour === 'finish-work' ? (runtime.work?.endsAt ?? prompt) : prompt;
    return Math.min(exit, deadline);
  }

  private scheduleTermination(key: string, runtime: PodRuntime): void {
    const pod = this.store.getByKey<Pod>('Pod', key);
    if (pod === undefined || pod.metadata.deletionTimestamp === undefined) return;
    const uid = runtime.uid;
    this.timeline.schedule(this.plannedExit(pod, runtime), () => this.finishTermination(key, uid));
  }

  private finishTermination(key: string, uid: string): void {
    const pod = this.store.getByKey<Pod>('Pod', key);
    const runtime = this.podIndex.runtime(key);
    if (pod === undefined || runtime === undefined || pod.metadata.uid !== uid || pod.metadata.deletionTimestamp === undefined) return;
    // With its node down nobody reports the pod gone: it stays Terminating until the node is back.
    if (!this.nodeUp(pod.spec.nodeName)) return;
    if (this.plannedExit(pod, runtime) > this.now()) return;
    const endsAt = runtime.work?.endsAt;
    if (endsAt !== undefined && endsAt > this.now() && pod.status.phase === 'Running') this.interrupt(pod, 'grace-period-expired', endsAt);
    this.removeObject('Pod', pod, false);
  }

  private interrupt(pod: DeepReadonly<Pod>, cause: Interruption['cause'], workEndsAt: number | undefined): void {
    const owner = controllerOf(pod);
    const record: Interruption = {
      at: this.now(),
      namespace: pod.metadata.namespace,
      name: pod.metadata.name,
      uid: pod.metadata.uid,
      node: pod.spec.nodeName,
      owner: owner === undefined ? undefined : { kind: owner.kind, name: owner.name },
      cause,
      workEndsAt,
    };
    this.interruptions.push(record);
    for (const listener of this.listeners) listener.interrupted?.(record);
  }

  // -------------------------------------------------------------------------------------------
  // Nodes and VMs

  private vmLifecycle(): VmLifecycle {
    return {
      vmRunning: (pool, vm) => this.vmRunning(pool, vm),
      vmPoweredOff: (_pool, vm, cause) => this.vmPoweredOff(vm, cause),
      vmDeallocated: (_pool, vm) => this.vmDeallocated(vm),
      vmDeleted: (_pool, vm) => {
        this.nodeVms.delete(vm.computerName);
        if (this.store.get('Node', undefined, vm.computerName) !== undefined) this.deleteNode(vm.computerName, 'vm-deleted');
      },
    };
  }

  /** A VM is up: a new node registers Ready, or a stopped one comes back and its kubelet catches up. */
  private vmRunning(pool: PoolState, vm: VmState): void {
    const name = vm.computerName;
    this.nodeVms.set(name, { pool, vm });
    const existing = this.store.get<Node>('Node', undefined, name);
    const now = formatTime(this.now());
    if (existing === undefined) {
      const node = aksNode(
        {
          name,
          pool: pool.name,
          mode: pool.mode,
          instance: vm.instance,
          vmSize: pool.vmSize,
          maxPods: pool.maxPods,
          labels: pool.labels,
          taints: pool.taints,
          uid: '',
          createdAt: now,
          ipIndex: this.nodeVms.size,
        },
        this.identity,
      );
      this.createObject(NODES, node);
      return;
    }
    this.writeObject(NODES, existing, startedNode(existing, now));
    // The kubelet is back: deleted pods are confirmed gone, dead containers restart, pods start.
    for (const pod of this.podsOnNode(name)) {
      const key = podKeyOf(pod);
      const runtime = this.podIndex.runtime(key);
      const restarted = runtime?.dead === true;
      if (runtime !== undefined) runtime.dead = false;
      if (pod.metadata.deletionTimestamp !== undefined) this.removeObject('Pod', pod as Pod, false);
      else if (pod.status.phase === 'Pending') this.scheduleStart(key, pod.metadata.uid);
      else if (!isTerminal(pod)) this.updatePod(key, (p) => markReady(p, now, restarted));
    }
  }

  /** The OS is gone: every container on the node dies; workload pods lose their work. */
  private vmPoweredOff(vm: VmState, cause: 'vm-deallocated' | 'vm-deleted'): void {
    for (const pod of this.podsOnNode(vm.computerName)) {
      const runtime = this.podIndex.runtime(podKeyOf(pod));
      if (runtime === undefined || runtime.dead || isTerminal(pod)) continue;
      runtime.dead = true;
      if (pod.status.phase === 'Running' && !isDaemonPod(pod) && !isMirrorPod(pod)) {
        this.interrupt(pod, cause, runtime.work?.endsAt);
        runtime.work = runtime.work === undefined ? undefined : { ...runtime.work, endsAt: undefined };
        runtime.workToken++;
        // A Job's pod (restartPolicy Never) fails with its node.
        if (controllerOf(pod)?.kind === 'Job') this.completePod(podKeyOf(pod), 'Failed');
      }
    }
  }

  /**
   * Deallocated: the node lifecycle controller marks the node Unknown and taints it unreachable, the
   * cloud provider adds the shutdown taint, the pods on it turn NotReady, and the taint manager
   * starts counting down each pod's tolerationSeconds.
   */
  private vmDeallocated(vm: VmState): void {
    const name = vm.computerName;
    const node = this.store.get<Node>('Node', undefined, name);
    if (node === undefined) return;
    const now = this.now();
    this.writeObject(NODES, node, stoppedNode(node, formatTime(now)));
    const unreachable: Taint = { key: UNREACHABLE_TAINT, effect: 'NoExecute' };
    for (const pod of this.podsOnNode(name)) {
      const key = podKeyOf(pod);
      if (isTerminal(pod)) continue;
      this.updatePod(key, (p) => markNotReady(p, formatTime(now)));
      if (pod.metadata.deletionTimestamp !== undefined) continue;
      // The taint manager: a pod that does not tolerate the NoExecute taint is evicted at once,
      // one that tolerates it for tolerationSeconds (300 by default) after that.
      const toleration = (pod.spec.tolerations ?? []).find((t) => toleratesTaint([t], unreachable));
      if (toleration !== undefined && toleration.tolerationSeconds === undefined) continue;
      const uid = pod.metadata.uid;
      const evict = (): void => {
        const current = this.store.getByKey<Pod>('Pod', key);
        if (current === undefined || current.metadata.uid !== uid || current.metadata.deletionTimestamp !== undefined || isTerminal(current)) return;
        if (this.nodeUp(current.spec.nodeName)) return;
        this.deletePod(key, undefined, 'DeletionByTaintManager');
      };
      this.timeline.schedule(now + Math.max(0, toleration?.tolerationSeconds ?? 0) * 1000, evict);
    }
  }

  /** A node object goes: the pod garbage collector force-deletes what was bound to it. */
  private deleteNode(name: string, cause: 'vm-deleted' | 'node-deleted'): DeepReadonly<Node> {
    const node = this.store.get<Node>('Node', undefined, name);
    if (node === undefined) throw notFound(NODES, name);
    for (const pod of this.podsOnNode(name)) {
      const runtime = this.podIndex.runtime(podKeyOf(pod));
      if (cause === 'node-deleted' && runtime !== undefined && !runtime.dead && pod.status.phase === 'Running' && !isDaemonPod(pod) && !isMirrorPod(pod)) {
        this.interrupt(pod, cause, runtime.work?.endsAt);
      }
      this.removeObject('Pod', pod as Pod, false);
    }
    this.store.remove('Node', undefined, name);
    this.podIndex.forgetNode(name);
    this.dirtyNodes.delete(name);
    this.schedulingNeeded = true;
    return node;
  }

  // -------------------------------------------------------------------------------------------
  // Controllers

  private reconcile(): void {
    for (let round = 0; round < MAX_RECONCILE_ROUNDS; round++) {
      const busy =
        this.dirtyNodes.size > 0 || this.dirtyDeployments.size > 0 || this.dirtyReplicaSets.size > 0 || (this.schedulingNeeded && this.podIndex.pending().size > 0);
      if (!busy) break;
      this.syncNodes();
      this.syncDeployments();
      this.syncReplicaSets();
      this.runScheduler();
      // Pods started in this round (settle) may already need a controller again: go round.
      this.timeline.runUntil(this.now());
    }
    this.syncDaemonSetStatus();
    for (const key of this.pdbIndex.staleKeys()) this.refreshPdb(key);
    this.expireEvents();
  }

  /** Node lifecycle (the cordon taint follows spec.unschedulable) and the DaemonSet rule (one pod per DaemonSet per node). */
  private syncNodes(): void {
    const names = [...this.dirtyNodes];
    this.dirtyNodes.clear();
    for (const name of names) {
      const node = this.store.get<Node>('Node', undefined, name);
      if (node === undefined) continue;
      const tainted = cordonTainted(node, formatTime(this.now()));
      if (tainted !== undefined) {
        this.writeObject(NODES, node, tainted);
        this.dirtyNodes.delete(name);
      }
      this.ensureDaemonPods(name);
    }
  }

  private ensureDaemonPods(nodeName: string): void {
    const present = new Set<string>();
    for (const pod of this.podsOnNode(nodeName)) {
      const owner = controllerOf(pod);
      if (owner?.kind === 'DaemonSet' && pod.metadata.deletionTimestamp === undefined && !isTerminal(pod)) present.add(owner.name);
    }
    for (const spec of this.daemonSets) {
      if (present.has(spec.name)) continue;
      const ds = this.store.get('DaemonSet', 'kube-system', spec.name);
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
      const created = this.createObject(PODS, pod) as Pod;
      const key = podKeyOf(created);
      const startNow = this.instant && this.nodeUp(nodeName);
      this.updatePod(key, (p) => {
        markScheduled(p, nodeName, formatTime(this.now()));
        if (startNow) this.markRunningNow(p);
      });
      if (!startNow) this.scheduleStart(key, created.metadata.uid);
    }
  }

  private syncDaemonSetStatus(): void {
    if (this.dirtyDaemonSets.size === 0) return;
    const names = [...this.dirtyDaemonSets];
    this.dirtyDaemonSets.clear();
    const nodes = this.store.size('Node');
    for (const name of names) {
      const ds = this.store.get('DaemonSet', 'kube-system', name);
      if (ds === undefined) continue;
      const status = daemonSetStatus(this.podsByKeys(this.podIndex.ownedBy(ds.metadata.uid)), nodes, ds.metadata.generation ?? 1);
      if (!sameJson(ds.status, status)) {
        this.store.put('DaemonSet', withStatus(ds, status));
      }
    }
  }

  /** The Deployment controller, reduced to one ReplicaSet per Deployment: its scale and the status. */
  private syncDeployments(): void {
    const keys = [...this.dirtyDeployments];
    this.dirtyDeployments.clear();
    for (const key of keys) {
      const deployment = this.store.getByKey<Deployment>('Deployment', key);
      if (deployment === undefined) continue;
      const replicas = deployment.spec.replicas ?? 1;
      let rs = this.replicaSetOf(deployment);
      if (rs === undefined) {
        const created = replicaSetFor(deployment, templateHash(deployment.spec.template));
        rs = this.createObject(REPLICA_SETS, created) as ReplicaSet;
        this.replicaSetOfDeployment.set(key, objectKey(rs.metadata.namespace, rs.metadata.name));
      } else if (rs.spec.replicas !== replicas) {
        const next = cloneJson(rs);
        next.spec.replicas = replicas;
        next.metadata.annotations = { ...next.metadata.annotations, 'deployment.kubernetes.io/desired-replicas': String(replicas) };
        rs = this.updateObject(REPLICA_SETS, rs, next) as ReplicaSet;
      }
      const status = deploymentStatus(deployment, rs, formatTime(this.now()));
      if (!sameJson(deployment.status, status)) {
        this.store.put('Deployment', withStatus(deployment, status));
      }
    }
  }

  /** The Deployment's ReplicaSet; adopts one that only exists through its pods' owner references (an import). */
  private replicaSetOf(deployment: Deployment): ReplicaSet | undefined {
    const key = objectKey(deployment.metadata.namespace, deployment.metadata.name);
    const known = this.replicaSetOfDeployment.get(key);
    if (known !== undefined) {
      const rs = this.store.getByKey<ReplicaSet>('ReplicaSet', known);
      if (rs !== undefined) return rs;
    }
    for (const rs of this.store.page('ReplicaSet', { namespace: deployment.metadata.namespace }).items) {
      if (controllerOf(rs)?.uid === deployment.metadata.uid) {
        this.replicaSetOfDeployment.set(key, objectKey(rs.metadata.namespace, rs.metadata.name));
        return rs as ReplicaSet;
      }
    }
    if (!this.adoptable.delete(key)) return undefined;
    const selector = selectorFromKubernetes(deployment.spec.selector);
    if (selector === undefined) return undefined;
    for (const pod of this.store.page('Pod', { namespace: deployment.metadata.namespace }).items) {
      const owner = controllerOf(pod);
      if (owner?.kind !== 'ReplicaSet' || !owner.name.startsWith(`${deployment.metadata.name}-`)) continue;
      if (!matchesSelector(selector, pod.metadata.labels ?? {})) continue;
      if (this.store.get('ReplicaSet', deployment.metadata.namespace, owner.name) !== undefined) continue;
      const hash = owner.name.slice(deployment.metadata.name.length + 1);
      const adopted = replicaSetFor(deployment, hash);
      adopted.metadata.uid = owner.uid;
      adopted.metadata.creationTimestamp = formatTime(this.now());
      adopted.metadata.generation = 1;
      const stored = this.writeObject(REPLICA_SETS, undefined, adopted) as ReplicaSet;
      this.replicaSetOfDeployment.set(key, objectKey(stored.metadata.namespace, stored.metadata.name));
      return stored;
    }
    return undefined;
  }

  /** The ReplicaSet controller: create or delete pods to match spec.replicas, in Kubernetes' order. */
  private syncReplicaSets(): void {
    const keys = [...this.dirtyReplicaSets];
    this.dirtyReplicaSets.clear();
    for (const key of keys) {
      const rs = this.store.getByKey<ReplicaSet>('ReplicaSet', key);
      if (rs === undefined) continue;
      // Counted as pods are written: most rounds only a pod's readiness changed, and a walk over a
      // thousand replicas for that is what made the controllers slow.
      const activeCount = this.podIndex.replicas(rs.metadata.uid).active;
      const desired = rs.spec.replicas ?? 1;
      if (activeCount < desired) {
        for (let i = activeCount; i < desired; i++) this.createReplicaPod(rs);
      } else if (activeCount > desired) {
        const active = this.podsByKeys(this.podIndex.ownedBy(rs.metadata.uid)).filter(isActive);
        for (const pod of podsToDelete(active, active.length - desired, active, this.now())) this.deletePod(podKeyOf(pod), undefined);
      }
      const status = replicaSetStatus(this.podIndex.replicas(rs.metadata.uid), rs.metadata.generation ?? 1);
      if (!sameJson(rs.status, status)) {
        this.store.put('ReplicaSet', withStatus(rs, status));
      }
      const owner = controllerOf(rs);
      if (owner?.kind === 'Deployment') this.dirtyDeployments.add(objectKey(rs.metadata.namespace, owner.name));
    }
  }

  /** The pods of these keys that still exist. */
  private podsByKeys(keys: Iterable<string>): Pod[] {
    const pods: Pod[] = [];
    for (const key of keys) {
      const pod = this.store.getByKey<Pod>('Pod', key);
      if (pod !== undefined) pods.push(pod);
    }
    return pods;
  }

  private createReplicaPod(rs: ReplicaSet): void {
    let name: string;
    do name = `${rs.metadata.name}-${this.random.safeString(5)}`;
    while (this.store.get('Pod', rs.metadata.namespace, name) !== undefined);
    const pod = podFromTemplate({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name, uid: rs.metadata.uid, namespace: rs.metadata.namespace }, rs.spec.template, name);
    this.createObject(PODS, pod);
  }

  private runScheduler(): void {
    if (!this.schedulingNeeded || this.podIndex.pending().size === 0) {
      this.schedulingNeeded = false;
      return;
    }
    this.schedulingNeeded = false;
    const nodes: SchedulingNode[] = [];
    for (const node of this.store.values<Node>('Node')) {
      const allocatable = node.status.allocatable ?? {};
      const used = this.podIndex.usage(node.metadata.name);
      const taints = node.spec.taints ?? [];
      nodes.push({
        name: node.metadata.name,
        labels: node.metadata.labels ?? {},
        // A node that is not Ready but lacks the lifecycle controller's taint (an imported dump) is still out.
        taints: isNodeReady(node) || taints.some((t) => t.key === NOT_READY_TAINT || t.key === UNREACHABLE_TAINT) ? taints : [...taints, { key: NOT_READY_TAINT, effect: 'NoSchedule' }],
        unschedulable: node.spec.unschedulable === true,
        allocatable: { pods: parseQuantity(allocatable.pods ?? '0') ?? 0, cpu: cpuMilli(allocatable.cpu), memory: memoryBytes(allocatable.memory) },
        used: { ...used },
      });
    }
    const pods: PendingPod[] = [];
    for (const key of this.podIndex.pending()) {
      const pod = this.store.getByKey<Pod>('Pod', key);
      const runtime = this.podIndex.runtime(key);
      if (pod === undefined || runtime === undefined) continue;
      const pending: PendingPod = {
        key,
        priority: pod.spec.priority ?? 0,
        created: parseTime(pod.metadata.creationTimestamp) ?? 0,
        nodeSelector: pod.spec.nodeSelector,
        tolerations: pod.spec.tolerations ?? [],
        requests: runtime.requests,
      };
      runtime.shape ??= podShape(pending);
      pending.shape = runtime.shape;
      pods.push(pending);
    }
    const result = schedulePods(pods, nodes);
    for (const { pod, node } of result.bound) this.bindPod(pod, node);
    const now = formatTime(this.now());
    for (const { pod: key, message } of result.unschedulable) {
      const pod = this.store.getByKey<Pod>('Pod', key);
      const current = conditionOf(pod?.status.conditions, 'PodScheduled');
      if (current?.reason === 'Unschedulable' && current.message === message) continue;
      this.updatePod(key, (p) => markUnschedulable(p, message, now));
    }
    // Binding changed nothing that could help the rest: wait for a change before trying again.
    this.schedulingNeeded = false;
  }

  /** The disruption controller for one PDB: its status from the pods it selects now. */
  private refreshPdb(key: string): void {
    if (!this.pdbIndex.takeStale(key)) return;
    const pdb = this.store.getByKey<PodDisruptionBudget>('PodDisruptionBudget', key);
    if (pdb === undefined) return;
    const members = this.pdbIndex.members(key);
    const expected = (): number => {
      // Each controller's scale once; when one has none, the walk names the first pod it fails on.
      const scales = new Map<string, number>();
      for (const ref of members.controllers) {
        const scale = this.scaleOfController(pdb.metadata.namespace, ref);
        if (scale === 'unsupported') return expectedScale(this.podsByKeys(members.keys), (pod) => this.controllerScale(pod));
        if (scale !== 'unmanaged') scales.set(scale.uid, scale.replicas);
      }
      let total = 0;
      for (const replicas of scales.values()) total += replicas;
      return total;
    };
    const status = pdbStatus(pdb, { healthy: members.healthy, pods: members.keys.size, expected }, formatTime(this.now()));
    if (sameJson(pdb.status, status)) return;
    this.store.put('PodDisruptionBudget', withStatus(pdb, status));
  }

  private controllerScale(pod: DeepReadonly<Pod>): ControllerScale {
    const owner = controllerOf(pod);
    return owner === undefined ? 'unmanaged' : this.scaleOfController(pod.metadata.namespace, owner);
  }

  /** The scale of a pod's controller, from the controller reference it carries. */
  private scaleOfController(namespace: string, owner: DeepReadonly<OwnerReference>): ControllerScale {
    if (owner.kind !== 'ReplicaSet') return 'unsupported';
    const rs = this.store.get<ReplicaSet>('ReplicaSet', namespace, owner.name);
    if (rs === undefined || rs.metadata.uid !== owner.uid) return 'unsupported';
    const rsOwner = controllerOf(rs);
    if (rsOwner?.kind === 'Deployment') {
      const deployment = this.store.get<Deployment>('Deployment', namespace, rsOwner.name);
      if (deployment === undefined) return 'unsupported';
      return { uid: deployment.metadata.uid, replicas: deployment.spec.replicas ?? 1 };
    }
    return { uid: rs.metadata.uid, replicas: rs.spec.replicas ?? 1 };
  }

  /** Events live an hour (the API server's event TTL); they are created in time order. */
  private expireEvents(): void {
    const now = this.now();
    while (this.eventExpiryHead < this.eventExpiry.length && this.eventExpiry[this.eventExpiryHead]!.at <= now) {
      const { key, uid } = this.eventExpiry[this.eventExpiryHead++]!;
      const event = this.store.getByKey('Event', key);
      if (event !== undefined && event.metadata.uid === uid) this.store.remove('Event', event.metadata.namespace, event.metadata.name);
    }
    if (this.eventExpiryHead > 1024 && this.eventExpiryHead * 2 > this.eventExpiry.length) {
      this.eventExpiry.splice(0, this.eventExpiryHead);
      this.eventExpiryHead = 0;
    }
  }
}

