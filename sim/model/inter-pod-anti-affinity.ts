// The InterPodAffinity filter's required anti-affinity, as kube-scheduler applies it to a pod about to
// be bound: no pod one of its own terms selects may run in the node's topology domain (the nodes
// sharing the value of the term's topologyKey: "node(s) didn't match pod anti-affinity rules"), and
// no pod running there may have a term selecting it ("node(s) didn't satisfy existing pods
// anti-affinity rules"). A node without the topology label is in no domain. A term's namespaces are
// its list, else the pod's own; a namespaceSelector is taken as every namespace (the simulated
// cluster keeps no Namespace labels). Only built when some pod carries such a term.

import { InputError } from '../../core/errors';
import { groupByLabel, selects } from '../../core/anti-affinity';
import { selectorFromKubernetes } from '../../core/selector';
import type { AntiAffinityTerm, LabelSelector } from '../../core/views';
import type { PodAffinityTerm } from './objects';

export const OWN_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
export const EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";

/** What the filter needs of a pod: where it lives, its labels, its terms. */
export interface AffinePod {
  namespace: string;
  labels: Readonly<Record<string, string>>;
  antiAffinity?: readonly AntiAffinityTerm[] | undefined;
}

interface PlacedOn {
  pod: AffinePod;
  node: string;
}

// A pod's affinity never changes (admission refuses pod updates beyond images, tolerations and a
// few more): its terms keep their identity across scheduling rounds, so each list is compiled once
// (per namespace, which a term defaults to).
const compiled = new WeakMap<readonly PodAffinityTerm[], { namespace: string; terms: AntiAffinityTerm[] | undefined }>();

/** A pod's required anti-affinity terms, ready to match; undefined when it has none that select anything. */
export function compileAntiAffinity(namespace: string, terms: readonly PodAffinityTerm[] | undefined): AntiAffinityTerm[] | undefined {
  if (terms === undefined || terms.length === 0) return undefined;
  const seen = compiled.get(terms);
  if (seen !== undefined && seen.namespace === namespace) return seen.terms;
  const result = compileTerms(namespace, terms);
  compiled.set(terms, { namespace, terms: result });
  return result;
}

function compileTerms(namespace: string, terms: readonly PodAffinityTerm[]): AntiAffinityTerm[] | undefined {
  const out: AntiAffinityTerm[] = [];
  for (const term of terms) {
    let selector: LabelSelector | undefined;
    try {
      selector = selectorFromKubernetes(term.labelSelector);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      selector = undefined; // the API server would have refused it; selects nothing here
    }
    if (selector === undefined || !term.topologyKey) continue;
    const namespaces = term.namespaceSelector ? undefined : term.namespaces?.length ? term.namespaces : [namespace];
    out.push({ selector, topologyKey: term.topologyKey, namespaces });
  }
  return out.length > 0 ? out : undefined;
}

export class InterPodAntiAffinity {
  private readonly byNode = new Map<string, AffinePod[]>();
  /** The terms of the pods running, by topology key, then the value of their node's label (their domain). */
  private readonly repelling = new Map<string, Map<string, AntiAffinityTerm[]>>();
  private readonly domains = new Map<string, Map<string, string[]>>();

  /**
   * `repelling`: the running pods that carry terms (few); `podsOn`: a node's running pods, asked only
   * of the nodes in a domain a pending pod's own terms name, so a round costs no walk over every pod.
   */
  constructor(
    private readonly nodeLabels: ReadonlyMap<string, Readonly<Record<string, string>>>,
    repelling: readonly PlacedOn[],
    private readonly podsOn: (node: string) => AffinePod[],
  ) {
    for (const { pod, node } of repelling) this.addTerms(pod, node);
  }

  /** Why the pod may not go to `node` under required anti-affinity, or undefined when it may. */
  rejection(pod: AffinePod, node: string): string | undefined {
    const labels = this.nodeLabels.get(node) ?? {};
    for (const term of pod.antiAffinity ?? []) {
      const value = labels[term.topologyKey];
      if (value === undefined) continue;
      for (const other of this.domain(term.topologyKey, value)) {
        for (const there of this.running(other)) if (selects(term, there)) return OWN_ANTI_AFFINITY;
      }
    }
    for (const [key, byValue] of this.repelling) {
      const value = labels[key];
      if (value === undefined) continue;
      for (const term of byValue.get(value) ?? []) if (selects(term, pod)) return EXISTING_ANTI_AFFINITY;
    }
    return undefined;
  }

  /** The pod now runs on `node` (placed this round). */
  add(pod: AffinePod, node: string): void {
    this.running(node).push(pod);
    this.addTerms(pod, node);
  }

  /** The pods on `node`: those running when the round began, then those placed there. */
  private running(node: string): AffinePod[] {
    let list = this.byNode.get(node);
    if (list === undefined) this.byNode.set(node, (list = this.podsOn(node)));
    return list;
  }

  private addTerms(pod: AffinePod, node: string): void {
    const labels = this.nodeLabels.get(node) ?? {};
    for (const term of pod.antiAffinity ?? []) {
      const value = labels[term.topologyKey];
      if (value === undefined) continue;
      let byValue = this.repelling.get(term.topologyKey);
      if (byValue === undefined) this.repelling.set(term.topologyKey, (byValue = new Map()));
      const terms = byValue.get(value);
      if (terms === undefined) byValue.set(value, [term]);
      else terms.push(term);
    }
  }

  private domain(key: string, value: string): readonly string[] {
    let byValue = this.domains.get(key);
    if (byValue === undefined) {
      const grouped = groupByLabel(this.nodeLabels, ([, labels]) => labels, key);
      byValue = new Map([...grouped].map(([v, entries]) => [v, entries.map(([node]) => node)]));
      this.domains.set(key, byValue);
    }
    return byValue.get(value) ?? [];
  }
}
