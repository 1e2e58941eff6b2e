// One pass over the snapshot builds what every planner reads. At 150,000 pods a walk over the pods
// costs several milliseconds in cache misses alone, so the planners never walk them again: each
// node carries its pods and the sums the rules need, computed here while the pod is in cache.

import { auditCheckSuffix } from './audit/scaler-reasons';
import { podVerdict, type EvictionContext } from './evictability';
import type { Room } from './fit';
import type { Policy } from './policy';
import { matchesSelector } from './selector';
import type { NodeView, PdbView, PodView, Snapshot } from './views';

export interface NodeStats {
  /** Every pod bound here, finished ones excluded. */
  podCount: number;
  /** Index in snapshot.pods of the last pod bound here (-1: none); the chain continues in ClusterIndex's `next`. */
  head: number;
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
  /** Memo of blockerOf: undefined until asked, null when nothing blocks. */
  blocker: string | null | undefined;
  /** Running, not terminating pods with the descheduler's opt-in label (when the index collects them). */
  optedIn: PodView[];
}

function emptyStats(): NodeStats {
  return {
    podCount: 0,
    head: -1,
    workloadPods: 0,
    workloadCpuMilli: 0,
    workloadMemoryBytes: 0,
    daemonPods: 0,
    daemonCpuMilli: 0,
    daemonMemoryBytes: 0,
    usedCpuMilli: 0,
    usedMemoryBytes: 0,
    blocker: undefined,
    optedIn: [],
  };
}

export interface IndexOptions {
  /** Also collect each node's pods carrying the descheduler's opt-in label (descheduler ticks). */
  optedIn: boolean;
}

interface Built {
  stats: Map<string, NodeStats>;
  unbound: PodView[];
  /** Per pod, the index of the previous pod on the same node; -1 ends the chain. */
  next: Int32Array;
  lists: Map<string, readonly PodView[]>;
}

/**
 * Built lazily: a tick of the worker scaler never needs the per-node figures, and the pods are
 * walked at most once per tick, whoever asks first. Pods are chained per node through a typed
 * array rather than pushed into 5,000 arrays: at 150,000 pods that garbage costs more than the walk.
 */
export class ClusterIndex {
  readonly evictionContext: EvictionContext;
  private built: Built | undefined;
  private byName: ReadonlyMap<string, NodeView> | undefined;

  constructor(
    private readonly snapshot: Snapshot,
    private readonly policy: Policy,
    private readonly options: IndexOptions = { optedIn: true },
  ) {
    this.evictionContext = { protectLocalStorage: policy.nodes?.protectLocalStorage ?? false };
  }

  /** The snapshot's nodes by name, made on first request (no planner needs it on most ticks). */
  get nodes(): ReadonlyMap<string, NodeView> {
    return (this.byName ??= new Map(this.snapshot.nodes.map((n) => [n.name, n])));
  }

  get stats(): ReadonlyMap<string, NodeStats> {
    return (this.built ??= this.build()).stats;
  }

  /** Pods with no node yet (pending), finished ones excluded. */
  get unbound(): readonly PodView[] {
    return (this.built ??= this.build()).unbound;
  }

  /** The pods bound to a node (finished ones excluded), gathered on first request. */
  podsOn(node: string): readonly PodView[] {
    const b = (this.built ??= this.build());
    let list = b.lists.get(node);
    if (!list) {
      const found: PodView[] = [];
      const pods = this.snapshot.pods;
      for (let i = b.stats.get(node)?.head ?? -1; i >= 0; i = b.next[i]!) found.push(pods[i]!);
      list = found.reverse();
      b.lists.set(node, list);
    }
    return list;
  }

  private build(): Built {
    const stats = new Map<string, NodeStats>();
    for (const n of this.snapshot.nodes) stats.set(n.name, emptyStats());
    const optIn = this.options.optedIn ? this.policy.descheduler?.podSelector : undefined;
    const unbound: PodView[] = [];
    const pods = this.snapshot.pods;
    const next = new Int32Array(pods.length);
    for (let i = 0; i < pods.length; i++) {
      const pod = pods[i]!;
      if (pod.phase === 'Succeeded' || pod.phase === 'Failed') continue;
      const node = pod.node;
      if (node === undefined) {
        unbound.push(pod);
        continue;
      }
      let s = stats.get(node);
      if (!s) {
        // A pod bound to a node the snapshot does not list (deleted meanwhile): kept, but no planner acts on that node.
        s = emptyStats();
        stats.set(node, s);
      }
      next[i] = s.head;
      s.head = i;
      s.podCount++;
      const { cpuMilli, memoryBytes } = pod.requests;
      s.usedCpuMilli += cpuMilli;
      s.usedMemoryBytes += memoryBytes;
      if (pod.daemonSet || pod.mirror) {
        s.daemonPods++;
        s.daemonCpuMilli += cpuMilli;
        s.daemonMemoryBytes += memoryBytes;
        continue;
      }
      s.workloadPods++;
      s.workloadCpuMilli += cpuMilli;
      s.workloadMemoryBytes += memoryBytes;
      // While the pod is in cache: the descheduler's opt-in test, rather than a second walk later.
      if (optIn && !pod.terminating && pod.phase === 'Running' && matchesSelector(optIn, pod.labels)) s.optedIn.push(pod);
    }
    return { stats, unbound, next, lists: new Map() };
  }
}

export function indexCluster(snapshot: Snapshot, policy: Policy, options?: IndexOptions): ClusterIndex {
  return new ClusterIndex(snapshot, policy, options);
}

/**
 * The first pod on a node that the node scaler may not evict, with why (it keeps the node from
 * scale-down), or undefined. Asked lazily: only for the few nodes a decision needs.
 */
export function blockerOf(index: ClusterIndex, node: string): string | undefined {
  const s = index.stats.get(node);
  if (!s) return undefined;
  if (s.blocker === undefined) {
    s.blocker = null;
    for (const pod of index.podsOn(node)) {
      const v = podVerdict(pod, index.evictionContext);
      if (v.kind === 'blocked') {
        s.blocker = `${podKey(pod)} ${v.detail}${auditCheckSuffix(v.rule)}`;
        break;
      }
    }
  }
  return s.blocker ?? undefined;
}

export function podsOn(index: ClusterIndex, node: string): readonly PodView[] {
  return index.podsOn(node);
}

const NO_STATS = emptyStats();

export function statsOf(index: ClusterIndex, node: string): NodeStats {
  return index.stats.get(node) ?? NO_STATS;
}

/** Free room on a node: allocatable minus the requests of every pod bound to it. */
export function roomOn(index: ClusterIndex, node: NodeView): Room {
  const s = statsOf(index, node.name);
  return {
    pods: node.allocatable.pods - s.podCount,
    cpuMilli: node.allocatable.cpuMilli - s.usedCpuMilli,
    memoryBytes: node.allocatable.memoryBytes - s.usedMemoryBytes,
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
    if (left <= 0) return `PodDisruptionBudget ${pdb.namespace}/${pdb.name} allows no disruption now (disruptionsAllowed ${pdb.disruptionsAllowed}); retried next tick`;
    return undefined;
  }

  /** Records one planned eviction against the pod's PDB. */
  spend(pod: PodView): void {
    const pdb = pdbsFor(this.pdbs, pod)[0];
    if (pdb) this.left.set(pdb, (this.left.get(pdb) ?? pdb.disruptionsAllowed) - 1);
  }
}
