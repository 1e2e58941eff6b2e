// Which pods each PodDisruptionBudget selects, kept on every pod and PDB write, and which budgets
// need their status recomputed: an eviction asks only its pod's budgets, and a budget's status costs
// no walk at all: its healthy members and their controllers are counted as pods are written.

import { matchesSelector, selectorFromKubernetes } from '../../core/selector';
import type { LabelSelector } from '../../core/views';
import { isHealthy } from './disruption';
import { controllerOf, type DeepReadonly, type OwnerReference, type Pod, type PodDisruptionBudget } from './objects';
import { objectKey } from './object-store';

interface Budget {
  /** undefined: a null selector, which selects nothing. */
  selector: LabelSelector | undefined;
  members: Set<string>;
  /** Members that are healthy (isHealthy). */
  healthy: number;
  /** Members per controller reference (uid, kind, name), for the expected count: a handful per budget. */
  controllers: Map<string, { ref: DeepReadonly<OwnerReference>; pods: number }>;
}

/** A budget's members counted by controller, with the reference they share. */
export interface BudgetMembers {
  /** The keys, in the order they were added (the order a walk over them sees). */
  keys: ReadonlySet<string>;
  healthy: number;
  controllers: Iterable<DeepReadonly<OwnerReference>>;
}

function controllerKey(ref: DeepReadonly<OwnerReference>): string {
  return `${ref.uid}\u0000${ref.kind}\u0000${ref.name}`;
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
    const budget: Budget = { selector, members: new Set(), healthy: 0, controllers: new Map() };
    if (selector !== undefined) {
      for (const pod of podsOfNamespace())
        if (matchesSelector(selector, pod.metadata.labels ?? {})) join(budget, objectKey(pod.metadata.namespace, pod.metadata.name), pod);
    }
    this.budgets.set(key, budget);
    this.stale.add(key);
  }

  remove(namespace: string, name: string): void {
    const key = objectKey(namespace, name);
    this.budgets.delete(key);
    this.byNamespace.get(namespace)?.delete(key);
    this.stale.delete(key);
  }

  /**
   * A pod was written (`next` undefined: removed; `previous` is the version stored before): the
   * budgets it enters, leaves or stays in go stale, their counts following it.
   */
  podChanged(key: string, previous: DeepReadonly<Pod> | undefined, next: DeepReadonly<Pod> | undefined): void {
    const keys = this.byNamespace.get((next ?? previous)!.metadata.namespace);
    if (keys === undefined) return;
    const labels = next === undefined ? undefined : (next.metadata.labels ?? {});
    for (const pdbKey of keys) {
      const budget = this.budgets.get(pdbKey)!;
      const was = budget.members.has(key);
      const is = labels !== undefined && budget.selector !== undefined && matchesSelector(budget.selector, labels);
      if (was && is) recount(budget, previous!, next!);
      else if (was) {
        uncount(budget, previous!);
        budget.members.delete(key);
      } else if (is) join(budget, key, next!);
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
    for (const pdbKey of this.byNamespace.get(namespace) ?? [])
      if (this.budgets.get(pdbKey)?.members.has(podKey) === true) out.push(pdbKey);
    return out.sort();
  }

  members(pdbKey: string): BudgetMembers {
    const budget = this.budgets.get(pdbKey);
    if (budget === undefined) return { keys: new Set(), healthy: 0, controllers: [] };
    return { keys: budget.members, healthy: budget.healthy, controllers: [...budget.controllers.values()].map((c) => c.ref) };
  }

  /** Takes the budget off the stale list; true when its status has to be recomputed. */
  takeStale(pdbKey: string): boolean {
    return this.stale.delete(pdbKey);
  }

  staleKeys(): string[] {
    return [...this.stale];
  }
}

/** Counts a pod in; a member already keeps its place in the set (a walk over the members keeps its order). */
function join(budget: Budget, key: string, pod: DeepReadonly<Pod>): void {
  budget.members.add(key);
  if (isHealthy(pod)) budget.healthy++;
  countController(budget, pod);
}

/** A member written again: most writes change neither its health nor its controller (a new version shares the reference). */
function recount(budget: Budget, previous: DeepReadonly<Pod>, next: DeepReadonly<Pod>): void {
  const healthy = isHealthy(next);
  if (isHealthy(previous) !== healthy) budget.healthy += healthy ? 1 : -1;
  if (controllerOf(previous) !== controllerOf(next)) {
    uncountController(budget, previous);
    countController(budget, next);
  }
}

/** Counts out the version of a member that was counted in (the one stored before this write). */
function uncount(budget: Budget, pod: DeepReadonly<Pod>): void {
  if (isHealthy(pod)) budget.healthy--;
  uncountController(budget, pod);
}

function countController(budget: Budget, pod: DeepReadonly<Pod>): void {
  const ref = controllerOf(pod);
  if (ref === undefined) return;
  const id = controllerKey(ref);
  const counted = budget.controllers.get(id);
  if (counted === undefined) budget.controllers.set(id, { ref, pods: 1 });
  else counted.pods++;
}

function uncountController(budget: Budget, pod: DeepReadonly<Pod>): void {
  const ref = controllerOf(pod);
  if (ref === undefined) return;
  const id = controllerKey(ref);
  const counted = budget.controllers.get(id)!;
  if (--counted.pods === 0) budget.controllers.delete(id);
}
