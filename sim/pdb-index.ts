// Which pods each PodDisruptionBudget selects, kept on every pod and PDB write, and which budgets
// need their status recomputed: an eviction asks only its pod's budgets, and a budget's status costs
// a walk over its own pods, never over the namespace.

import { matchesSelector, selectorFromKubernetes } from '../core/selector';
import type { LabelSelector } from '../core/views';
import type { DeepReadonly, Pod, PodDisruptionBudget } from './objects';
import { objectKey } from './object-store';

interface Budget {
  /** undefined: a null selector, which selects nothing. */
  selector: LabelSelector | undefined;
  members: Set<string>;
}

export class PdbIndex {
  private readonly budgets = new Map<string, Budget>();
  private readonly byNamespace = new Map<string, Set<string>>();
  private readonly stale = new Set<string>();

  /** A PDB was written; when its selector may have changed, its members are found again in `podsOfNamespace`. */
  set(pdb: DeepReadonly<PodDisruptionBudget>, specChanged: boolean, podsOfNamespace: () => Iterable<DeepReadonly<Pod>>): void {
    const key = objectKey(pdb.metadata.namespace, pdb.metadata.name);
    let namespaceKeys = this.byNamespace.get(pdb.metadata.namespace);
    if (namespaceKeys === undefined) this.byNamespace.set(pdb.metadata.namespace, (namespaceKeys = new Set()));
    namespaceKeys.add(key);
    if (!specChanged && this.budgets.has(key)) return;
    const selector = selectorFromKubernetes(pdb.spec.selector ?? null);
    const members = new Set<string>();
    if (selector !== undefined) {
      for (const pod of podsOfNamespace()) if (matchesSelector(selector, pod.metadata.labels ?? {})) members.add(objectKey(pod.metadata.namespace, pod.metadata.name));
    }
    this.budgets.set(key, { selector, members });
    this.stale.add(key);
  }

  remove(namespace: string, name: string): void {
    const key = objectKey(namespace, name);
    this.budgets.delete(key);
    this.byNamespace.get(namespace)?.delete(key);
    this.stale.delete(key);
  }

  /** A pod was written (`labels` undefined: removed): the budgets it enters, leaves or stays in go stale. */
  podChanged(key: string, namespace: string, labels: Readonly<Record<string, string>> | undefined): void {
    const keys = this.byNamespace.get(namespace);
    if (keys === undefined) return;
    for (const pdbKey of keys) {
      const budget = this.budgets.get(pdbKey)!;
      const was = budget.members.has(key);
      const is = labels !== undefined && budget.selector !== undefined && matchesSelector(budget.selector, labels);
      if (is) budget.members.add(key);
      else budget.members.delete(key);
      if (was || is) this.stale.add(pdbKey);
    }
  }

  /** Every budget of a namespace goes stale (a controller's scale changed: percentages move). */
  staleNamespace(namespace: string): void {
    for (const key of this.byNamespace.get(namespace) ?? []) this.stale.add(key);
  }

  /** The keys of the budgets selecting the pod, sorted. */
  selecting(podKey: string, namespace: string): string[] {
    const out: string[] = [];
    for (const pdbKey of this.byNamespace.get(namespace) ?? []) if (this.budgets.get(pdbKey)?.members.has(podKey) === true) out.push(pdbKey);
    return out.sort();
  }

  members(pdbKey: string): ReadonlySet<string> {
    return this.budgets.get(pdbKey)?.members ?? new Set();
  }

  /** Takes the budget off the stale list; true when its status has to be recomputed. */
  takeStale(pdbKey: string): boolean {
    return this.stale.delete(pdbKey);
  }

  staleKeys(): string[] {
    return [...this.stale];
  }
}
