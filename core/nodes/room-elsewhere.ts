// Would the pods a drain evicts find room on the nodes that stay? The count of nodes the load needs
// is arithmetic (pods, cpu and memory summed); the scheduler places pods one by one on nodes whose
// free room comes in pieces (each node's pod limit, its cpu, its memory). When the nodes are packed
// tight, a drain the arithmetic allows evicts pods that fit on no other node: they go Unschedulable,
// the next tick wants a node more and gives the drain back, and every eviction was for nothing (the
// reference week at targetPodsPerNode 24 cancelled a drain every 12 minutes that way).
// cluster-autoscaler checks the same before removing a node (its scale-down simulation,
// `NoPlaceToMovePods`). Pods are placed largest first, each on the first node with room that its
// node selector, required node affinity, taints and required pod anti-affinity allow (its own terms,
// and those of the pods already in that node's topology domain: one replica per node or zone), and
// the room they take is kept for the next candidate of the tick.

import { podKey, roomAt } from '../cluster';
import { hasRoom, selectsNode, toleratesNode, type Room } from '../fit';
import { matchesSelector } from '../selector';
import type { AntiAffinityTerm, NodeView, PodView } from '../views';
import type { NodeTick, Tracked } from './tick';

/** A required anti-affinity term of a pod, where that pod runs (or is placed this tick). */
interface Repelling {
  pod: PodView;
  term: AntiAffinityTerm;
  node: string;
}

interface Receiver {
  node: NodeView;
  room: Room;
}

export type Placement = { fits: true } | { fits: false; reason: string };

export class RoomElsewhere {
  private receivers: Receiver[] | undefined;
  /** Nodes chosen to drain this tick: their room is not offered to the next candidate. */
  private readonly leaving = new Set<string>();
  /** Pods placed this tick, by the node they would land on. */
  private readonly placed = new Map<string, PodView[]>();
  /** The anti-affinity terms of the pods that run or are placed, by topology key, then by the domain's label value. */
  private repelling: Map<string, Map<string, Repelling[]>> | undefined;
  /** Nodes by topology key, then label value (built for the keys pods' own terms name). */
  private readonly domains = new Map<string, Map<string, NodeView[]>>();

  constructor(private readonly tick: NodeTick) {}

  /**
   * Places `pods` (the candidate's pods a drain would evict) on the other nodes that take pods. When
   * every one finds room, the room is taken and the candidate leaves the receivers; otherwise nothing
   * is taken and the reason names the first pod left without a place.
   */
  place(candidate: Tracked, pods: readonly PodView[]): Placement {
    const receivers = (this.receivers ??= this.findReceivers());
    this.leaving.add(candidate.node.name);
    const largestFirst = [...pods].sort(
      (a, b) => b.requests.memoryBytes - a.requests.memoryBytes || b.requests.cpuMilli - a.requests.cpuMilli,
    );
    const taken: { r: Receiver; pod: PodView }[] = [];
    for (const pod of largestFirst) {
      const r = receivers.find(
        (r) =>
          !this.leaving.has(r.node.name) &&
          hasRoom(r.room, pod.requests) &&
          selectsNode(pod, r.node) &&
          toleratesNode(pod, r.node) &&
          this.antiAffinityAllows(pod, r.node),
      );
      if (r === undefined) {
        for (const t of taken.reverse()) {
          give(t.r.room, t.pod, +1);
          this.unplace(t.pod, t.r.node);
        }
        this.leaving.delete(candidate.node.name);
        return { fits: false, reason: this.noPlace(pod, taken.length, largestFirst.length) };
      }
      give(r.room, pod, -1);
      this.putPlaced(pod, r.node);
      taken.push({ r, pod });
    }
    return { fits: true };
  }

  /** Whether no required anti-affinity keeps `pod` off `to`: neither its own terms nor those of the pods in `to`'s domains. */
  private antiAffinityAllows(pod: PodView, to: NodeView): boolean {
    const repelling = (this.repelling ??= this.findRepelling());
    for (const [key, byValue] of repelling) {
      const value = to.labels[key];
      if (value === undefined) continue;
      for (const r of byValue.get(value) ?? []) {
        if (r.pod !== pod && !this.leaving.has(r.node) && selects(r.term, pod)) return false;
      }
    }
    if (pod.antiAffinity === undefined) return true;
    const { index } = this.tick.input;
    for (const term of pod.antiAffinity) {
      const value = to.labels[term.topologyKey];
      if (value === undefined) continue;
      for (const node of this.domain(term.topologyKey, value)) {
        if (this.leaving.has(node.name)) continue;
        for (const other of index.podsOn(node.name)) if (other !== pod && selects(term, other)) return false;
        for (const other of this.placed.get(node.name) ?? []) if (other !== pod && selects(term, other)) return false;
      }
    }
    return true;
  }

  private findRepelling(): Map<string, Map<string, Repelling[]>> {
    const repelling = new Map<string, Map<string, Repelling[]>>();
    const { index, snapshot } = this.tick.input;
    for (const pod of index.antiAffinePods) {
      const at = index.at(pod.node!);
      const node = at >= 0 && at < snapshot.nodes.length ? snapshot.nodes[at] : undefined;
      if (node !== undefined) addRepelling(repelling, pod, node);
    }
    return repelling;
  }

  private putPlaced(pod: PodView, to: NodeView): void {
    const list = this.placed.get(to.name);
    if (list === undefined) this.placed.set(to.name, [pod]);
    else list.push(pod);
    if (pod.antiAffinity !== undefined) addRepelling(this.repelling!, pod, to);
  }

  private unplace(pod: PodView, from: NodeView): void {
    const list = this.placed.get(from.name)!;
    list.splice(list.lastIndexOf(pod), 1);
    if (pod.antiAffinity === undefined) return;
    for (const term of pod.antiAffinity) {
      const entries = this.repelling!.get(term.topologyKey)?.get(from.labels[term.topologyKey] ?? '');
      const i = entries?.findIndex((r) => r.pod === pod && r.node === from.name) ?? -1;
      if (i >= 0) entries!.splice(i, 1);
    }
  }

  /** The nodes sharing `value` of `key` (every node listed: a pod anywhere in the domain counts). */
  private domain(key: string, value: string): readonly NodeView[] {
    let byValue = this.domains.get(key);
    if (byValue === undefined) {
      byValue = new Map();
      for (const node of this.tick.input.snapshot.nodes) {
        const v = node.labels[key];
        if (v === undefined) continue;
        const list = byValue.get(v);
        if (list === undefined) byValue.set(v, [node]);
        else list.push(node);
      }
      this.domains.set(key, byValue);
    }
    return byValue.get(value) ?? [];
  }

  /** Ready, schedulable nodes of any pool that the node planner does not have on their way out. */
  private findReceivers(): Receiver[] {
    const { index, snapshot } = this.tick.input;
    const receivers: Receiver[] = [];
    for (const node of snapshot.nodes) {
      if (!node.ready || node.cordoned) continue;
      const at = index.at(node.name);
      const tracked = this.tick.trackedAt(at);
      if (tracked !== undefined && tracked.state !== 'running') continue;
      receivers.push({ node, room: roomAt(index, at, node) });
    }
    return receivers;
  }

  private noPlace(pod: PodView, placed: number, of: number): string {
    const cpu = (pod.requests.cpuMilli / 1000).toFixed(2);
    const gib = (pod.requests.memoryBytes / 1024 ** 3).toFixed(1);
    const others = this.receivers!.filter((r) => !this.leaving.has(r.node.name)).length;
    return `its pods would not all find room on the ${others} other schedulable nodes (${placed} of ${of} placed; no room for ${podKey(pod)}, ${cpu} cpu, ${gib} GiB, within each node's pods, cpu and memory and what its affinity and taints allow): draining it would leave pods Unschedulable and the node wanted back (NoPlaceToMovePods)`;
  }
}

/** Whether the term selects `pod`: its namespaces (all when undefined) and its label selector. */
function selects(term: AntiAffinityTerm, pod: PodView): boolean {
  return (term.namespaces === undefined || term.namespaces.includes(pod.namespace)) && matchesSelector(term.selector, pod.labels);
}

function addRepelling(repelling: Map<string, Map<string, Repelling[]>>, pod: PodView, node: NodeView): void {
  for (const term of pod.antiAffinity ?? []) {
    const value = node.labels[term.topologyKey];
    // A node without the topology label is in no domain: the term keeps nothing off other nodes.
    if (value === undefined) continue;
    let byValue = repelling.get(term.topologyKey);
    if (byValue === undefined) repelling.set(term.topologyKey, (byValue = new Map()));
    const list = byValue.get(value);
    const entry = { pod, term, node: node.name };
    if (list === undefined) byValue.set(value, [entry]);
    else list.push(entry);
  }
}

function give(room: Room, pod: PodView, sign: 1 | -1): void {
  room.pods += sign;
  room.cpuMilli += sign * pod.requests.cpuMilli;
  room.memoryBytes += sign * pod.requests.memoryBytes;
}
