// One pass over the snapshot builds what every planner reads. At 150,000 pods a walk over the pods
// costs several milliseconds in cache misses alone, so the planners never walk them again: each
// node's sums, its pods and the descheduler's and worker scaler's pods are gathered here while each
// pod is in cache.
//
// Nodes are interned: a node is a number (its place in snapshot.nodes), its figures are flat typed
// arrays indexed by it, and its pods a chain through one Int32Array. At 5,000 nodes an object and an
// array per node cost more in allocation and collection than the arithmetic they hold.

import { BUSY } from './annotations';
import { auditCheckSuffix } from './audit/scaler-reasons';
import { podVerdict, ruleInWords, type EvictionContext } from './evictability';
import type { Room } from './fit';
import type { Policy } from './policy';
import { matchesSelector, singleLabel } from './selector';
import type { LabelSelector, NodeView, PdbView, PodView, Snapshot, WorkloadView } from './views';

/**
 * A pod whose grace period is this long or longer may keep its node billed that long after its
 * eviction (a busy BG worker finishes its job within a 20-hour grace period). Waits this long or
 * longer hold no drain slot (drain-survey.ts), and nodes free of such pods are drained first.
 */
export const SLOW_EXIT_MS = 10 * 60_000;

/** A node's sums, as one object (for readers outside the planners' loops, such as the status page). */
export interface NodeStats {
  /** Every pod bound here, finished ones excluded. */
  podCount: number;
  /** Pods that count towards pods-per-node: not DaemonSet, not mirror, not finished. */
  workloadPods: number;
  workloadCpuMilli: number;
  workloadMemoryBytes: number;
  /** DaemonSet and mirror pods: what a node of this kind spends before any workload. */
  daemonPods: number;
  daemonCpuMilli: number;
  daemonMemoryBytes: number;
  /** Requests of every pod bound here (terminating ones still hold theirs). */
  usedCpuMilli: number;
  usedMemoryBytes: number;
}

/** Every node's sums, indexed by the node's number (ClusterIndex.at). */
export interface NodeFigures {
  podCount: Int32Array;
  workloadPods: Int32Array;
  workloadCpuMilli: Float64Array;
  workloadMemoryBytes: Float64Array;
  daemonPods: Int32Array;
  daemonCpuMilli: Float64Array;
  daemonMemoryBytes: Float64Array;
  /**
   * Workload pods that may take {@link SLOW_EXIT_MS} or more to leave once evicted: a long grace
   * period and not known to be idle (a BG worker publishing busy=false stops at once). A node
   * carrying none empties within minutes of its drain starting.
   */
  slowPods: Int32Array;
  /** Running, not terminating workload pods with the descheduler's opt-in label (when the index collects them). */
  optedInPods: Int32Array;
  optedInMemoryBytes: Float64Array;
}

export interface IndexOptions {
  /** Also collect each node's pods carrying the descheduler's opt-in label (descheduler ticks). */
  optedIn: boolean;
  /** Also collect the pods of the worker scaler's Deployments (worker ticks). */
  workers?: boolean;
  /** The tick's time, for rules that weigh a pod's age (kube-system pods). */
  now?: number;
}

interface Built {
  figures: NodeFigures;
  /** Per node, the index in snapshot.pods of the last pod bound there (-1: none); the chain continues in `next`. */
  head: Int32Array;
  /** Per pod, the index of the previous pod on the same node; -1 ends the chain. */
  next: Int32Array;
  unbound: PodView[];
  /** Bound pods with a required pod anti-affinity (few, when any): the room check asks them about every pod it places. */
  antiAffine: PodView[];
}

/** A growable set of per-node arrays: a pod bound to a node the snapshot does not list gets a number too. */
function figuresFor(size: number): NodeFigures {
  return {
    podCount: new Int32Array(size),
    workloadPods: new Int32Array(size),
    workloadCpuMilli: new Float64Array(size),
    workloadMemoryBytes: new Float64Array(size),
    daemonPods: new Int32Array(size),
    daemonCpuMilli: new Float64Array(size),
    daemonMemoryBytes: new Float64Array(size),
    slowPods: new Int32Array(size),
    optedInPods: new Int32Array(size),
    optedInMemoryBytes: new Float64Array(size),
  };
}

function grow<T extends Int32Array | Float64Array>(a: T, size: number, fill = 0): T {
  const bigger = new (a.constructor as new (n: number) => T)(size);
  bigger.set(a);
  if (fill !== 0) bigger.fill(fill, a.length);
  return bigger;
}

/**
 * Built lazily: a tick of the worker scaler never needs the per-node figures, nor even the nodes'
 * numbers, and the pods are walked at most once per tick, whoever asks first.
 */
export class ClusterIndex {
  readonly evictionContext: EvictionContext;
  private built: Built | undefined;
  private byName: ReadonlyMap<string, NodeView> | undefined;
  private numbering: Numbering | undefined;
  private readonly lists = new Map<number, readonly PodView[]>();
  private readonly blockers = new Map<number, string | null>();
  private readonly optedInLists = new Map<number, PodView[]>();
  private readonly workerLists = new Map<WorkloadView, readonly PodView[]>();

  constructor(
    private readonly snapshot: Snapshot,
    private readonly policy: Policy,
    private readonly options: IndexOptions = { optedIn: true },
  ) {
    this.evictionContext = {
      protectLocalStorage: policy.nodes?.protectLocalStorage ?? false,
      controllers: snapshot.controllers,
      pdbs: snapshot.pdbs,
      ...(options.now !== undefined ? { now: options.now } : {}),
      ...(policy.nodes ? { systemPodTimeoutMs: policy.nodes.blockingSystemPodTimeoutMs } : {}),
    };
  }

  /**
   * Whether snapshot.nodes lists its nodes in strictly ascending name order (byName), as the API
   * server's paginated lists come. Then a node's number orders like its name, and a planner ranking
   * thousands of nodes by name compares integers instead: a heap of 5,000 nodes compared by name
   * cost more than the rest of choosing scale-down candidates.
   */
  get numberedByName(): boolean {
    return this.numbered.ascending;
  }

  private get numbered(): Numbering {
    return (this.numbering ??= numberNodes(this.snapshot.nodes));
  }

  /** The snapshot's nodes by name, made on first request (no planner needs it on most ticks). */
  get nodes(): ReadonlyMap<string, NodeView> {
    return (this.byName ??= new Map(this.snapshot.nodes.map((n) => [n.name, n])));
  }

  /**
   * The number of a node snapshot.nodes lists, or -1, without making the walk over the pods: a
   * planner can read its nodes before the walk, while they are still in cache from being numbered.
   */
  listedNumber(node: string): number {
    const { numbers, numberOf } = this.numbered;
    const i = numbers.get(node);
    return i !== undefined && i < numberOf.length ? i : -1;
  }

  /** The node snapshot.nodes lists under that name (a listed node's number is its place there), or undefined. */
  listedNode(node: string): NodeView | undefined {
    const i = this.listedNumber(node);
    return i < 0 ? undefined : this.snapshot.nodes[i];
  }

  /** A node's number in the figures, or -1 when no node or pod names it. */
  at(node: string): number {
    this.built ??= this.build();
    return this.numbered.numbers.get(node) ?? -1;
  }

  /** The number of snapshot.nodes[position], without a lookup by name. */
  numberAt(position: number): number {
    return this.numbered.numberOf[position]!;
  }

  get figures(): NodeFigures {
    return (this.built ??= this.build()).figures;
  }

  /** Pods bound to a node that carry a required pod anti-affinity, finished ones excluded. */
  get antiAffinePods(): readonly PodView[] {
    return (this.built ??= this.build()).antiAffine;
  }

  /** Pods with no node yet (pending), finished ones excluded. */
  get unbound(): readonly PodView[] {
    return (this.built ??= this.build()).unbound;
  }

  /** The pods bound to a node (finished ones excluded), gathered on first request. */
  podsOn(node: string): readonly PodView[] {
    const b = (this.built ??= this.build());
    const i = this.numbered.numbers.get(node) ?? -1;
    let list = this.lists.get(i);
    if (!list) {
      list = i < 0 ? [] : this.chain(b.head[i]!, b.next);
      this.lists.set(i, list);
    }
    return list;
  }

  /**
   * The opted-in pods on a node (in snapshot order): asked only of the few nodes the descheduler
   * relieves, so they are picked from the node's pods then; the walk made only their sums.
   */
  optedInOn(i: number): PodView[] {
    const b = (this.built ??= this.build());
    let list = this.optedInLists.get(i);
    if (!list) {
      const optIn = this.options.optedIn ? this.policy.descheduler?.podSelector : undefined;
      list = optIn ? this.chain(b.head[i]!, b.next).filter((pod) => isOptedIn(pod, optIn)) : [];
      this.optedInLists.set(i, list);
    }
    return list;
  }

  /**
   * The pods of a Deployment (its namespace and selector; finished and terminating ones excluded),
   * in snapshot order. Gathered during the one walk on ticks that make it; otherwise walked for alone.
   */
  podsOf(deployment: WorkloadView): readonly PodView[] {
    let list = this.workerLists.get(deployment);
    if (!list) {
      list = deploymentPods(this.snapshot.pods, deployment);
      this.workerLists.set(deployment, list);
    }
    return list;
  }

  /** Memo of blockerOf, by node number: null when nothing blocks. */
  blockerMemo(): Map<number, string | null> {
    return this.blockers;
  }

  private chain(first: number, next: Int32Array): PodView[] {
    const found: PodView[] = [];
    const pods = this.snapshot.pods;
    for (let p = first; p >= 0; p = next[p]!) found.push(pods[p]!);
    return found.reverse();
  }

  private build(): Built {
    const nodeCount = this.snapshot.nodes.length;
    let size = Math.max(nodeCount, 1);
    let f = figuresFor(size);
    let head = new Int32Array(size).fill(-1);
    const optIn = this.options.optedIn ? this.policy.descheduler?.podSelector : undefined;
    // The opt-in label compared here rather than through matchesSelector: see singleLabel.
    const optInLabel = optIn && singleLabel(optIn);
    const optInKey = optInLabel ? optInLabel.key : '';
    const optInValue = optInLabel?.value;
    const pods = this.snapshot.pods;
    const next = new Int32Array(pods.length);
    const deployments = this.options.workers ? this.workerDeployments() : [];
    const unbound: PodView[] = [];
    const antiAffine: PodView[] = [];
    const numbers = this.numbered.numbers;
    let known = numbers.size;
    for (let p = 0; p < pods.length; p++) {
      const pod = pods[p]!;
      if (pod.phase === 'Succeeded' || pod.phase === 'Failed') continue;
      const node = pod.node;
      if (node === undefined) {
        gatherWorkerPod(deployments, pod);
        unbound.push(pod);
        continue;
      }
      let i = numbers.get(node);
      if (i === undefined) {
        // A pod bound to a node the snapshot does not list (deleted meanwhile): kept, but no planner acts on that node.
        i = known++;
        numbers.set(node, i);
        if (i >= size) {
          size *= 2;
          f = growFigures(f, size);
          head = grow(head, size, -1);
        }
      }
      next[p] = head[i]!;
      head[i] = p;
      if (pod.antiAffinity !== undefined) antiAffine.push(pod);
      // After the node's lookup rather than before it: the pod's labels are fetched while the lookup
      // is under way, not ahead of it (a few percent of the walk).
      gatherWorkerPod(deployments, pod);
      f.podCount[i]!++;
      const requests = pod.requests;
      if (pod.daemonSet || pod.mirror) {
        f.daemonPods[i]!++;
        f.daemonCpuMilli[i]! += requests.cpuMilli;
        f.daemonMemoryBytes[i]! += requests.memoryBytes;
        continue;
      }
      f.workloadPods[i]!++;
      f.workloadCpuMilli[i]! += requests.cpuMilli;
      f.workloadMemoryBytes[i]! += requests.memoryBytes;
      if (pod.graceSeconds * 1000 >= SLOW_EXIT_MS && pod.annotations[BUSY] !== 'false') f.slowPods[i]!++;
      // While the pod is in cache: the descheduler's opt-in test (as isOptedIn), rather than a second walk later.
      if (
        optIn &&
        !pod.terminating &&
        pod.phase === 'Running' &&
        (optInLabel ? pod.labels[optInKey] === optInValue : matchesSelector(optIn, pod.labels))
      ) {
        f.optedInPods[i]!++;
        f.optedInMemoryBytes[i]! += requests.memoryBytes;
      }
    }
    for (const { deployment, list } of deployments) this.workerLists.set(deployment, list);
    return { figures: f, head, next, unbound, antiAffine };
  }

  /** The Deployments the worker scaler reads, each once. */
  private workerDeployments(): WorkerPods[] {
    const found: WorkerPods[] = [];
    for (const worker of this.policy.workers) {
      const deployment = this.snapshot.workloads.find((w) => w.namespace === worker.namespace && w.name === worker.deployment);
      if (deployment && !found.some((d) => d.deployment === deployment)) {
        const label = singleLabel(deployment.selector);
        found.push({ deployment, namespace: deployment.namespace, key: label?.key, value: label?.value, list: [] });
      }
    }
    return found;
  }
}

/** The nodes' numbers, made once per tick on first need. */
interface Numbering {
  /** Node name -> number: snapshot.nodes first, in order, then nodes only pods name (added by the walk). */
  numbers: Map<string, number>;
  /** The number of each of snapshot.nodes (a repeated name shares the first one's). */
  numberOf: Int32Array;
  /** The names are strictly ascending (see numberedByName). */
  ascending: boolean;
}

function numberNodes(nodes: readonly NodeView[]): Numbering {
  const numbers = new Map<string, number>();
  const numberOf = new Int32Array(nodes.length);
  // Backwards, so a repeated name keeps its first number with one operation per node; each name is
  // compared with the next while both are in cache.
  let ascending = true;
  let after: string | undefined;
  for (let i = nodes.length - 1; i >= 0; i--) {
    const name = nodes[i]!.name;
    numbers.set(name, i);
    if (ascending && after !== undefined && !(name < after)) ascending = false;
    after = name;
  }
  if (numbers.size === nodes.length) for (let i = 0; i < nodes.length; i++) numberOf[i] = i;
  else for (let i = 0; i < nodes.length; i++) numberOf[i] = numbers.get(nodes[i]!.name)!;
  return { numbers, numberOf, ascending };
}

interface WorkerPods {
  deployment: WorkloadView;
  namespace: string;
  /** The one label the Deployment's selector asks for, when that is all it asks (see singleLabel). */
  key: string | undefined;
  value: string | undefined;
  list: PodView[];
}

/** Is the pod one of the worker scaler's? Asked during the walk, while the pod is in cache, rather than in a second walk. */
function gatherWorkerPod(deployments: readonly WorkerPods[], pod: PodView): void {
  for (let d = 0; d < deployments.length; d++) {
    const w = deployments[d]!;
    if (pod.namespace !== w.namespace || pod.terminating) continue;
    if (w.key !== undefined ? pod.labels[w.key] === w.value : matchesSelector(w.deployment.selector, pod.labels)) w.list.push(pod);
  }
}

function growFigures(f: NodeFigures, size: number): NodeFigures {
  const bigger = {} as Record<keyof NodeFigures, Int32Array | Float64Array>;
  for (const key of Object.keys(f) as (keyof NodeFigures)[]) bigger[key] = grow(f[key], size);
  return bigger as unknown as NodeFigures;
}

/** A running workload pod, not on its way out, with the descheduler's opt-in label. */
function isOptedIn(pod: PodView, optIn: LabelSelector): boolean {
  return !pod.daemonSet && !pod.mirror && !pod.terminating && pod.phase === 'Running' && matchesSelector(optIn, pod.labels);
}

function deploymentPods(pods: readonly PodView[], deployment: WorkloadView): PodView[] {
  const found: PodView[] = [];
  const selector: LabelSelector = deployment.selector;
  // The one label compared in place, as the walk does (see singleLabel).
  const label = singleLabel(selector);
  for (const pod of pods) {
    if (pod.namespace !== deployment.namespace || pod.terminating) continue;
    if (pod.phase === 'Succeeded' || pod.phase === 'Failed') continue;
    if (label ? pod.labels[label.key] === label.value : matchesSelector(selector, pod.labels)) found.push(pod);
  }
  return found;
}

export function indexCluster(snapshot: Snapshot, policy: Policy, options?: IndexOptions): ClusterIndex {
  return new ClusterIndex(snapshot, policy, options);
}

/**
 * The first pod on a node that the node scaler may not evict, with why (it keeps the node from
 * scale-down), or undefined. Asked lazily: only for the few nodes a decision needs.
 */
export function blockerOf(index: ClusterIndex, node: string): string | undefined {
  const i = index.at(node);
  if (i < 0) return undefined;
  const memo = index.blockerMemo();
  let blocker = memo.get(i);
  if (blocker === undefined) {
    blocker = null;
    for (const pod of index.podsOn(node)) {
      const v = podVerdict(pod, index.evictionContext);
      if (v.kind === 'blocked') {
        blocker = `${podKey(pod)} ${v.detail} (${ruleInWords(v.rule)})${auditCheckSuffix(v.rule)}`;
        break;
      }
    }
    memo.set(i, blocker);
  }
  return blocker ?? undefined;
}

export function podsOn(index: ClusterIndex, node: string): readonly PodView[] {
  return index.podsOn(node);
}

const NO_STATS: NodeStats = {
  podCount: 0,
  workloadPods: 0,
  workloadCpuMilli: 0,
  workloadMemoryBytes: 0,
  daemonPods: 0,
  daemonCpuMilli: 0,
  daemonMemoryBytes: 0,
  usedCpuMilli: 0,
  usedMemoryBytes: 0,
};

/** One node's sums as an object; planners read `index.figures` by number instead. */
export function statsOf(index: ClusterIndex, node: string): NodeStats {
  const i = index.at(node);
  if (i < 0) return NO_STATS;
  const f = index.figures;
  return {
    podCount: f.podCount[i]!,
    workloadPods: f.workloadPods[i]!,
    workloadCpuMilli: f.workloadCpuMilli[i]!,
    workloadMemoryBytes: f.workloadMemoryBytes[i]!,
    daemonPods: f.daemonPods[i]!,
    daemonCpuMilli: f.daemonCpuMilli[i]!,
    daemonMemoryBytes: f.daemonMemoryBytes[i]!,
    usedCpuMilli: f.workloadCpuMilli[i]! + f.daemonCpuMilli[i]!,
    usedMemoryBytes: f.workloadMemoryBytes[i]! + f.daemonMemoryBytes[i]!,
  };
}

/** Free room on a node: allocatable minus the requests of every pod bound to it. */
export function roomOn(index: ClusterIndex, node: NodeView): Room {
  return roomAt(index, index.at(node.name), node);
}

/** The same, for a node whose number is known. */
export function roomAt(index: ClusterIndex, i: number, node: NodeView): Room {
  if (i < 0) return { pods: node.allocatable.pods, cpuMilli: node.allocatable.cpuMilli, memoryBytes: node.allocatable.memoryBytes };
  const f = index.figures;
  return {
    pods: node.allocatable.pods - f.podCount[i]!,
    cpuMilli: node.allocatable.cpuMilli - (f.workloadCpuMilli[i]! + f.daemonCpuMilli[i]!),
    memoryBytes: node.allocatable.memoryBytes - (f.workloadMemoryBytes[i]! + f.daemonMemoryBytes[i]!),
  };
}

/** The PDBs that cover a pod (the Eviction API refuses a pod covered by more than one). */
export function pdbsFor(pdbs: readonly PdbView[], pod: PodView): PdbView[] {
  const found: PdbView[] = [];
  for (const pdb of pdbs) {
    if (pdb.namespace === pod.namespace && pdb.selector && matchesSelector(pdb.selector, pod.labels)) found.push(pdb);
  }
  return found;
}

export const podKey = (pod: { namespace: string; name: string }): string => `${pod.namespace}/${pod.name}`;

/** Plain code-unit order: deterministic and far cheaper than localeCompare when sorting thousands of nodes. */
export const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Disruptions left per PDB during one run: each planned eviction spends one, so a run never plans
 * more evictions than the budgets allow (the Eviction API would refuse them with 429 anyway).
 */
export class DisruptionLedger {
  private readonly left = new Map<PdbView, number>();

  constructor(private readonly pdbs: readonly PdbView[]) {}

  /** undefined when the pod may be disrupted now; otherwise why not. */
  refusal(pod: PodView): string | undefined {
    const covering = pdbsFor(this.pdbs, pod);
    if (covering.length > 1) {
      return `covered by ${covering.length} PodDisruptionBudgets (${covering.map((p) => p.name).join(', ')}); the Eviction API refuses such pods`;
    }
    const pdb = covering[0];
    if (!pdb) return undefined;
    const left = this.left.get(pdb) ?? pdb.disruptionsAllowed;
    if (left <= 0) {
      // The budget as found may allow some: this run's earlier evictions spent them, which reads
      // otherwise as "allows none (disruptionsAllowed 16)".
      const why =
        pdb.disruptionsAllowed > 0
          ? `${pdb.disruptionsAllowed === 1 ? 'its 1 allowed disruption is' : `its ${pdb.disruptionsAllowed} allowed disruptions are`} spent on this run's other evictions`
          : 'disruptionsAllowed 0';
      return `PodDisruptionBudget ${pdb.namespace}/${pdb.name} allows no disruption now (${why}); retried next tick`;
    }
    return undefined;
  }

  /** Records one planned eviction against the pod's PDB. */
  spend(pod: PodView): void {
    const pdb = pdbsFor(this.pdbs, pod)[0];
    if (pdb) this.left.set(pdb, (this.left.get(pdb) ?? pdb.disruptionsAllowed) - 1);
  }
}
