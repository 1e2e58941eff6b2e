// One pass over the snapshot builds the indexes every planner reads, so 150,000 pods are walked once
// per tick rather than once per planner or per node.

import type { Room } from './fit';
import type { NodeView, PdbView, PodView, Snapshot } from './views';
import { matchesSelector } from './selector';

export interface ClusterIndex {
  nodes: ReadonlyMap<string, NodeView>;
  podsByNode: ReadonlyMap<string, PodView[]>;
  /** Pods with no node yet (pending), finished ones excluded. */
  unbound: readonly PodView[];
}

export function indexCluster(snapshot: Snapshot): ClusterIndex {
  const nodes = new Map<string, NodeView>();
  for (const n of snapshot.nodes) nodes.set(n.name, n);
  const podsByNode = new Map<string, PodView[]>();
  const unbound: PodView[] = [];
  for (const pod of snapshot.pods) {
    if (pod.phase === 'Succeeded' || pod.phase === 'Failed') continue;
    if (pod.node === undefined) {
      unbound.push(pod);
      continue;
    }
    const list = podsByNode.get(pod.node);
    if (list) list.push(pod);
    else podsByNode.set(pod.node, [pod]);
  }
  return { nodes, podsByNode, unbound };
}

export function podsOn(index: ClusterIndex, node: string): readonly PodView[] {
  return index.podsByNode.get(node) ?? [];
}

/** Free room on a node: allocatable minus the requests of every pod bound to it (terminating ones still hold theirs). */
export function roomOn(index: ClusterIndex, node: NodeView): Room {
  const room: Room = { ...node.allocatable };
  for (const pod of podsOn(index, node.name)) {
    room.pods -= 1;
    room.cpuMilli -= pod.requests.cpuMilli;
    room.memoryBytes -= pod.requests.memoryBytes;
  }
  return room;
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
