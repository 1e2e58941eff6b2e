// Required pod anti-affinity, as the scheduler's InterPodAffinity filter applies it to a pod about to
// be placed: no pod its own terms select may run in the receiving node's topology domain (the nodes
// sharing the value of the term's key), and no pod already in that domain may have a term selecting
// it. Used wherever the core models a move (a drain's pods finding room, the descheduler's moves),
// so neither counts on a place the scheduler would refuse. Pods placed during the tick count where
// they are placed; pods moved away, and every pod of a node leaving, no longer count where they were.

import type { ClusterIndex } from './cluster';
import { matchesSelector } from './selector';
import type { AntiAffinityTerm, NodeView, PodView } from './views';

/** A required anti-affinity term of a pod, where that pod runs (or is placed this tick). */
interface Repelling {
  pod: PodView;
  term: AntiAffinityTerm;
  node: string;
}

export class AntiAffinity {
  /** Pods placed this tick, by the node they would land on. */
  private readonly placed = new Map<string, PodView[]>();
  /** Pods moved off their node this tick (the descheduler's). */
  private readonly moved = new Set<PodView>();
  /** The terms of the pods that run or are placed, by topology key, then the domain's label value. */
  private repelling: Map<string, Map<string, Repelling[]>> | undefined;
  /** Nodes by topology key, then label value (for the keys pods' own terms name). */
  private readonly domains = new Map<string, Map<string, NodeView[]>>();

  constructor(
    private readonly index: ClusterIndex,
    private readonly nodes: readonly NodeView[],
    /** Nodes whose pods all leave this tick (a drain chosen): they count nowhere but where they are placed. */
    private readonly leaving: ReadonlySet<string> = new Set(),
  ) {}

  /** Whether no required anti-affinity keeps `pod` off `to`. */
  allows(pod: PodView, to: NodeView): boolean {
    const repelling = (this.repelling ??= this.findRepelling());
    for (const [key, byValue] of repelling) {
      const value = to.labels[key];
      if (value === undefined) continue;
      for (const r of byValue.get(value) ?? []) {
        if (r.pod !== pod && this.counts(r.pod, r.node) && selects(r.term, pod)) return false;
      }
    }
    if (pod.antiAffinity === undefined) return true;
    for (const term of pod.antiAffinity) {
      const value = to.labels[term.topologyKey];
      if (value === undefined) continue;
      for (const node of this.domain(term.topologyKey, value)) {
        for (const other of this.index.podsOn(node.name))
          if (other !== pod && this.counts(other, node.name) && selects(term, other)) return false;
        for (const other of this.placed.get(node.name) ?? []) if (other !== pod && selects(term, other)) return false;
      }
    }
    return true;
  }

  /** `pod` lands on `to` (and, when `from` is given, no longer runs there). */
  place(pod: PodView, to: NodeView, from?: string): void {
    if (from !== undefined) this.moved.add(pod);
    const list = this.placed.get(to.name);
    if (list === undefined) this.placed.set(to.name, [pod]);
    else list.push(pod);
    if (pod.antiAffinity !== undefined) addRepelling((this.repelling ??= this.findRepelling()), pod, to);
  }

  /** Undoes the last place() of `pod` on `to`. */
  unplace(pod: PodView, to: NodeView): void {
    this.moved.delete(pod);
    const list = this.placed.get(to.name)!;
    list.splice(list.lastIndexOf(pod), 1);
    if (pod.antiAffinity === undefined) return;
    for (const term of pod.antiAffinity) {
      const entries = this.repelling!.get(term.topologyKey)?.get(to.labels[term.topologyKey] ?? '');
      const i = entries?.findIndex((r) => r.pod === pod && r.node === to.name) ?? -1;
      if (i >= 0) entries!.splice(i, 1);
    }
  }

  /** Whether `pod`, seen on `node`, is still there: not on a leaving node, not moved (a placed copy is listed under its new node). */
  private counts(pod: PodView, node: string): boolean {
    if (this.placed.get(node)?.includes(pod)) return true;
    return !this.leaving.has(node) && !this.moved.has(pod);
  }

  private findRepelling(): Map<string, Map<string, Repelling[]>> {
    const repelling = new Map<string, Map<string, Repelling[]>>();
    for (const pod of this.index.antiAffinePods) {
      const node = this.index.listedNode(pod.node!);
      if (node !== undefined) addRepelling(repelling, pod, node);
    }
    return repelling;
  }

  /** The nodes sharing `value` of `key` (every node listed: a pod anywhere in the domain counts). */
  private domain(key: string, value: string): readonly NodeView[] {
    let byValue = this.domains.get(key);
    if (byValue === undefined) this.domains.set(key, (byValue = groupByLabel(this.nodes, (n) => n.labels, key)));
    return byValue.get(value) ?? [];
  }
}

/** Whether the term selects `pod`: its namespaces (all when undefined) and its label selector. */
export function selects(term: AntiAffinityTerm, pod: Pick<PodView, 'namespace' | 'labels'>): boolean {
  return (term.namespaces === undefined || term.namespaces.includes(pod.namespace)) && matchesSelector(term.selector, pod.labels);
}

/** `items` by the value of label `key` (its topology domains); those without the label are in none. */
export function groupByLabel<T>(
  items: Iterable<T>,
  labelsOf: (item: T) => Readonly<Record<string, string>>,
  key: string,
): Map<string, T[]> {
  const byValue = new Map<string, T[]>();
  for (const item of items) {
    const v = labelsOf(item)[key];
    if (v === undefined) continue;
    const list = byValue.get(v);
    if (list === undefined) byValue.set(v, [item]);
    else list.push(item);
  }
  return byValue;
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
