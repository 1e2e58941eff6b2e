// The simulated AKS cluster: one in-memory world, in simulated time, behind both the Kubernetes API
// test server (sim/servers/kube-api-server.ts) and the embedded simulator. It holds the API objects
// as the API server stores them and answers the API's operations with its semantics (resourceVersion
// conflicts, graceful pod deletion, the Eviction API and PodDisruptionBudgets, the scale
// subresource), runs the controllers that matter for scaling (ReplicaSet, Deployment, DaemonSet,
// scheduler, kubelet, node lifecycle, taint manager, disruption), and implements the Azure side
// (agent pools, scale-set VMs and their power states) as SimCompute.
//
// Nothing here reads the real clock or a random source: time moves only with `advance`, and a seed
// fixes every generated name and uid. Controllers run when time moves (`advance(0)` runs them
// without moving it), so a client sees a short controller lag, as on a real cluster; PDB status is
// the exception, always current when read, like a disruption controller that never falls behind.
//
// SimCluster is the facade: each job lives in its own part under sim/model/cluster/ (store writes,
// the API's operations, eviction, the kubelet, node lifecycle, the controllers, the scheduler,
// events), all sharing one ClusterState.

import { AgentPools, type AgentPoolSpec } from '../azure/agent-pools';
import { DEFAULT_IDENTITY, nodeResourceGroup, type CloudIdentity } from '../azure/aks-identity';
import type { AgentPoolProvisioningState, SimAgentPool, SimCompute, SimVm } from '../azure/compute';
import type { ChangeJournal } from './change-journal';
import { AKS_DAEMONSETS, type DaemonSetSpec } from './aks-objects';
import { parseTime, Timeline } from './clock';
import { KubeApi, type ListOptions, type ListResult, type ObjectRef } from './cluster/api';
import { DaemonSetController } from './cluster/controllers/daemonsets';
import { DeploymentController } from './cluster/controllers/deployments';
import { JobController } from './cluster/controllers/jobs';
import { ReplicaSetController } from './cluster/controllers/replicasets';
import { DisruptionController } from './cluster/disruption-controller';
import { Eviction } from './cluster/eviction';
import { EventExpiry } from './cluster/events';
import { importObjects } from './cluster/import';
import { NodeLifecycle } from './cluster/node-lifecycle';
import { PodLifecycle } from './cluster/pod-lifecycle';
import { Reconciler } from './cluster/reconcile';
import { ScaleSubresource } from './cluster/scale';
import { SchedulerBinding } from './cluster/scheduling';
import { ClusterState, DEFAULT_DURATIONS, type Interruption, type SimDurations, type SimListener } from './cluster/state';
import { StoreWrites, type DeleteOptions } from './cluster/writes';
import { objectKey, type StoreObserver } from './object-store';
import type { DeepReadonly, Deployment, KubeObject, Node, Pod, PodDisruptionBudget } from './objects';
import type { PatchType } from './patch';
import type { PodWork, Usage } from './pod-index';
import { SeededRandom } from './random';
import { DAEMON_SETS, DEPLOYMENTS, PDBS, PODS, type ResourceType, type StoredKind } from './resources';
import {
  daemonSetObject,
  deploymentObject,
  jobPodObject,
  pdbObject,
  type DeploymentSpec,
  type JobPodSpec,
  type PdbSpec,
  type Scale,
} from './workloads';

export type { PodWork } from './pod-index';
export type { Scale } from './workloads';
export type { ListOptions, ListResult, ObjectRef } from './cluster/api';
export type { DeleteOptions } from './cluster/writes';
export { DEFAULT_DURATIONS, type Interruption, type SimDurations, type SimListener } from './cluster/state';

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

const DEFAULT_START = Date.parse('2026-11-01T00:00:00Z');
const BASE_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export class SimCluster implements SimCompute {
  readonly subscription: string;
  readonly resourceGroup: string;
  readonly clusterName: string;
  readonly nodeResourceGroup: string;
  readonly location: string;
  readonly identity: CloudIdentity;
  readonly durations: SimDurations;
  /** Pods whose work was cut short (VM stopped under them, grace period too short), oldest first. */
  readonly interruptions: Interruption[];

  private readonly state: ClusterState;
  private readonly writes: StoreWrites;
  private readonly kubelet: PodLifecycle;
  private readonly disruption: DisruptionController;
  private readonly api: KubeApi;
  private readonly scale: ScaleSubresource;
  private readonly eviction: Eviction;
  private readonly reconciler: Reconciler;
  private readonly compute: AgentPools;

  constructor(options: SimClusterOptions = {}) {
    const start = typeof options.start === 'string' ? parseTime(options.start) : options.start;
    if (typeof options.start === 'string' && start === undefined)
      throw new RangeError(`start "${options.start}": expected an RFC 3339 time`);
    this.durations = { ...DEFAULT_DURATIONS, ...options.durations };
    this.identity = { ...DEFAULT_IDENTITY, ...options.identity };
    this.subscription = this.identity.subscription;
    this.resourceGroup = this.identity.resourceGroup;
    this.clusterName = this.identity.clusterName;
    this.location = this.identity.location;
    this.nodeResourceGroup = nodeResourceGroup(this.identity);
    const state = new ClusterState(
      new Timeline(start ?? DEFAULT_START),
      new SeededRandom(options.seed ?? 1),
      this.durations,
      this.identity,
      options.daemonSets ?? AKS_DAEMONSETS,
    );
    this.state = state;
    this.interruptions = state.interruptions;

    const events = new EventExpiry(state);
    // A ReplicaSet removed with cascade deletes its pods through the kubelet's graceful path.
    this.writes = new StoreWrites(state, events, { deletePod: (key) => this.kubelet.deletePod(key, undefined) });
    this.kubelet = new PodLifecycle(state, this.writes);
    const nodes = new NodeLifecycle(state, this.writes, this.kubelet);
    this.disruption = new DisruptionController(state);
    this.api = new KubeApi(state, this.writes, this.kubelet, nodes, this.disruption);
    this.scale = new ScaleSubresource(state, this.writes);
    this.eviction = new Eviction(state, this.kubelet, this.disruption);
    this.reconciler = new Reconciler(state, {
      nodes,
      daemonSets: new DaemonSetController(state, this.writes, this.kubelet),
      deployments: new DeploymentController(state, this.writes),
      replicaSets: new ReplicaSetController(state, this.writes, this.kubelet),
      jobs: new JobController(state, this.writes, this.kubelet),
      scheduler: new SchedulerBinding(state, this.writes, this.kubelet),
      disruption: this.disruption,
      events,
    });
    this.compute = new AgentPools(state.timeline, this.durations, this.identity, nodes.vmLifecycle());
    for (const namespace of BASE_NAMESPACES) this.addNamespace(namespace);
    for (const spec of state.daemonSets) this.writes.createObject(DAEMON_SETS, daemonSetObject(spec));
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
    return this.state.store.resourceVersion();
  }

  /** Simulated epoch milliseconds. */
  now(): number {
    return this.state.now();
  }

  nowIso(): string {
    return new Date(this.state.now()).toISOString();
  }

  /**
   * Moves simulated time on by `ms`, running every happening due on the way (grace periods ending,
   * VMs booting) and the controllers after each. `advance(0)` runs the controllers only.
   */
  advance(ms: number): void {
    if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`advance(${ms}): expected a finite, non-negative number of milliseconds`);
    const timeline = this.state.timeline;
    const end = timeline.now() + ms;
    this.reconciler.reconcile();
    for (;;) {
      const due = timeline.nextDue();
      if (due === undefined || due > end) break;
      timeline.runUntil(due);
      this.reconciler.reconcile();
    }
    timeline.runUntil(end);
    this.reconciler.reconcile();
  }

  /**
   * Runs the controllers until nothing is left to do, with pods starting the moment they are bound:
   * for building a cluster that looks as if it had been running for a while.
   */
  settle(): void {
    this.state.instant = true;
    try {
      this.advance(0);
    } finally {
      this.state.instant = false;
    }
  }

  /** The journal of writes watches replay and follow (kept from the first call on). */
  changes(): ChangeJournal {
    return this.state.store.journal();
  }

  subscribe(listener: SimListener): () => void {
    this.state.listeners.add(listener);
    return () => this.state.listeners.delete(listener);
  }

  // -------------------------------------------------------------------------------------------
  // Building

  addNamespace(name: string): DeepReadonly<KubeObject> {
    return this.writes.ensureNamespace(name);
  }

  addPool(spec: AgentPoolSpec): void {
    this.compute.addPool(spec);
  }

  /** A Deployment; its ReplicaSet and pods are created, scheduled and started at once (settled). */
  addDeployment(spec: DeploymentSpec): DeepReadonly<Deployment> {
    this.addNamespace(spec.namespace ?? 'default');
    const created = this.writes.createObject(DEPLOYMENTS, deploymentObject(spec)) as Deployment;
    this.settle();
    return this.state.store.get<Deployment>('Deployment', created.metadata.namespace, created.metadata.name) ?? created;
  }

  addPdb(spec: PdbSpec): DeepReadonly<PodDisruptionBudget> {
    this.addNamespace(spec.namespace ?? 'default');
    const created = this.writes.createObject(PDBS, pdbObject(spec)) as PodDisruptionBudget;
    return this.pdb(created.metadata.namespace, created.metadata.name) ?? created;
  }

  /** A Job's pod (no Job controller: the pod is owned by a Job reference), scheduled and started at once. */
  addJobPod(spec: JobPodSpec): DeepReadonly<Pod> {
    this.addNamespace(spec.namespace ?? 'default');
    const jobUid = this.state.random.uuid();
    const pod = jobPodObject(spec, this.state.random.safeString(5), jobUid);
    const created = this.writes.createObject(PODS, pod) as Pod;
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
    importObjects(this.state, this.writes, this.kubelet, objects);
  }

  // -------------------------------------------------------------------------------------------
  // Fast, read-only views (no copies): what the simulator and tests read. Do not mutate.

  node(name: string): DeepReadonly<Node> | undefined {
    return this.state.store.get<Node>('Node', undefined, name);
  }

  nodes(): DeepReadonly<Node>[] {
    return [...this.state.store.values<Node>('Node')];
  }

  pod(namespace: string, name: string): DeepReadonly<Pod> | undefined {
    return this.state.store.get<Pod>('Pod', namespace, name);
  }

  /** Every pod; iterate, do not hold on to it across writes. */
  pods(): IterableIterator<DeepReadonly<Pod>> {
    return this.state.store.values<Pod>('Pod');
  }

  /**
   * Every stored object of `kind` now, then each write of one as it happens (undefined: removed),
   * in the order `pods()` / `nodes()` walk them: for views kept up to date incrementally rather
   * than rebuilt by a walk over every pod. Returns the unsubscribe.
   */
  observe(kind: StoredKind, observer: StoreObserver): () => void {
    return this.state.store.observe(kind, observer);
  }

  podsOnNode(name: string): DeepReadonly<Pod>[] {
    return this.state.podsOnNode(name);
  }

  /** Pods waiting for a node (not bound, not being deleted). */
  pendingPods(): DeepReadonly<Pod>[] {
    const out: DeepReadonly<Pod>[] = [];
    for (const key of this.state.podIndex.pending()) {
      const pod = this.state.store.getByKey<Pod>('Pod', key);
      if (pod !== undefined) out.push(pod);
    }
    return out;
  }

  deployment(namespace: string, name: string): DeepReadonly<Deployment> | undefined {
    return this.state.store.get<Deployment>('Deployment', namespace, name);
  }

  /** The PDB with its status as the disruption controller would have it now. */
  pdb(namespace: string, name: string): DeepReadonly<PodDisruptionBudget> | undefined {
    const key = objectKey(namespace, name);
    this.disruption.refresh(key);
    return this.state.store.getByKey<PodDisruptionBudget>('PodDisruptionBudget', key);
  }

  /** Requested pods, cpu (millicores) and memory (bytes) of the pods bound to a node. */
  nodeUsage(name: string): Readonly<Usage> {
    return { ...this.state.podIndex.usage(name) };
  }

  /** Sets the work a pod is doing (see PodWork); the simulator's hook into the kubelet. */
  setPodWork(ref: { namespace: string; name: string }, work: PodWork): void {
    this.kubelet.setWork(ref, work);
  }

  /**
   * What a readiness probe reports: the kubelet sets the pod's Ready and ContainersReady conditions
   * (a running pod only). The simulator's hook for a sick or overloaded replica.
   */
  setPodReady(ref: { namespace: string; name: string }, ready: boolean): void {
    this.kubelet.setReady(ref, ready);
  }

  podWork(namespace: string, name: string): Readonly<PodWork> | undefined {
    return this.kubelet.work(namespace, name);
  }

  // -------------------------------------------------------------------------------------------
  // The API's operations, with Kubernetes semantics; errors are ApiError (code + Status).

  get(resource: ResourceType, ref: ObjectRef): DeepReadonly<KubeObject> {
    return this.api.get(resource, ref);
  }

  list(resource: ResourceType, options: ListOptions = {}): ListResult {
    return this.api.list(resource, options);
  }

  /** `dryRun`: every check, nothing stored (the answer is what would have been). */
  create(resource: ResourceType, body: unknown, namespace?: string, dryRun = false): DeepReadonly<KubeObject> {
    return this.api.create(resource, body, namespace, dryRun);
  }

  replace(resource: ResourceType, ref: ObjectRef, body: unknown, dryRun = false): DeepReadonly<KubeObject> {
    return this.api.replace(resource, ref, body, dryRun);
  }

  patch(resource: ResourceType, ref: ObjectRef, patch: unknown, type: PatchType, dryRun = false): DeepReadonly<KubeObject> {
    return this.api.patch(resource, ref, patch, type, dryRun);
  }

  /**
   * Deletes an object. A pod on a node is deleted gracefully: it gets a deletionTimestamp (now +
   * grace) and stays, Terminating, until its process exits or the grace period ends. Returns the
   * object as deleted (or as now terminating).
   */
  delete(resource: ResourceType, ref: ObjectRef, options: DeleteOptions = {}): DeepReadonly<KubeObject> {
    return this.api.delete(resource, ref, options);
  }

  /**
   * policy/v1 Eviction, as the API server's eviction subresource: a 429 when the pod's PDB allows no
   * disruption, a 500 when more than one PDB selects the pod, a 404 when the pod is gone; an allowed
   * eviction is a graceful delete and takes one from the PDB's disruptionsAllowed.
   */
  evict(ref: { namespace: string; name: string }, body: unknown = {}, dryRun = false): void {
    this.eviction.evict(ref, body, dryRun);
  }

  getScale(ref: { namespace: string; name: string }): Scale {
    return this.scale.get(ref);
  }

  replaceScale(ref: { namespace: string; name: string }, body: unknown): Scale {
    return this.scale.replace(ref, body);
  }

  patchScale(ref: { namespace: string; name: string }, patch: unknown, type: PatchType): Scale {
    return this.scale.patch(ref, patch, type);
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
}
