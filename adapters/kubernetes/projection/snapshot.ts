// Kubernetes Lists → the core's snapshot: `kubectl get … -o json` dumps (the CLI) and the API's
// typed lists (the function reading the cluster) share one projection, object by object in
// ./node, ./pod and ./workload.

import { InputError } from '../../../core/errors';
import type { NodeView, PdbView, PodView, Snapshot, WorkloadView } from '../../../core/views';
import { EMPTY_JSON, isAbsent, isObject, shown, type Json, type Problems } from './fields';
import { CONTROLLER_KINDS, projectControllerKey } from './controller';
import { projectNode } from './node';
import { projectPod } from './pod';
import { projectDeployment, projectPdb } from './workload';

export interface ListDocument {
  /** Where the document came from (a file name, `api`), the first word of every message about it. */
  source: string;
  json: unknown;
}

export type ClusterSnapshot = Omit<Snapshot, 'queues'>;

/** Past this many, one more line counts the rest: a dump that is wrong everywhere is wrong the same way. */
const MAX_PROBLEMS = 100;

/** Views by namespace and name; a later one replaces an earlier one in its place. */
class Namespaced<T extends { namespace: string; name: string }> {
  private readonly byNamespace = new Map<string, Map<string, T>>();

  set(view: T): void {
    let names = this.byNamespace.get(view.namespace);
    if (names === undefined) {
      names = new Map();
      this.byNamespace.set(view.namespace, names);
    }
    names.set(view.name, view);
  }

  values(): T[] {
    const all: T[] = [];
    for (const names of this.byNamespace.values()) for (const view of names.values()) all.push(view);
    return all;
  }
}

const NOT_A_LIST = 'expected a Kubernetes List (kubectl get … -o json)';

function describeItem(kind: string, item: Json): string {
  const metadata = isObject(item.metadata) ? item.metadata : EMPTY_JSON;
  const name = typeof metadata.name === 'string' ? metadata.name : undefined;
  const namespace = typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : undefined;
  if (name === undefined) return kind;
  return namespace === undefined ? `${kind} ${name}` : `${kind} ${namespace}/${name}`;
}

/**
 * Projects `kubectl get … -o json` Lists (or the API's typed lists: `PodList`, `NodeList`, whose
 * items carry no `kind`) into a snapshot. Nodes, Pods, PodDisruptionBudgets and Deployments are
 * read, and the names of ReplicaSets, StatefulSets, Jobs, DaemonSets and ReplicationControllers;
 * other kinds are ignored. A controller kind counts as read when a typed list of it was given
 * (`ReplicaSetList`, even empty) or a mixed `List` holds one of it; when none was, the snapshot
 * carries no controllers and the core does not check that a pod's controller exists. An object in several documents is kept once, the later winning.
 * Nodes come in order of first appearance; namespaced objects grouped by namespace, likewise.
 * Throws an InputError naming every problem with its source and item (the first 100, then a count).
 */
export function snapshotFromLists(documents: readonly ListDocument[]): ClusterSnapshot {
  const problems: Problems = [];
  let dropped = 0;
  const report = (problem: string): void => {
    if (problems.length < MAX_PROBLEMS) problems.push(problem);
    else dropped++;
  };

  // By name, and by namespace then name: no `namespace/name` string to build per pod.
  const nodes = new Map<string, NodeView>();
  const pods = new Namespaced<PodView>();
  const pdbs = new Namespaced<PdbView>();
  const workloads = new Namespaced<WorkloadView>();
  const controllerKinds = new Set<string>();
  const controllerNames = new Set<string>();

  for (const { source, json } of documents) {
    if (!isObject(json)) {
      report(`${source}: ${NOT_A_LIST}, got ${shown(json)}`);
      continue;
    }
    const listKind = json.kind;
    if (typeof listKind !== 'string' || !listKind.endsWith('List')) {
      report(`${source}: ${NOT_A_LIST}, got ${typeof listKind === 'string' ? `kind "${listKind}"` : 'no kind'}`);
      continue;
    }
    const items = json.items;
    if (!Array.isArray(items)) {
      report(`${source}: items: expected an array, got ${isAbsent(items) ? 'nothing' : shown(items)}`);
      continue;
    }
    const impliedKind = listKind === 'List' ? undefined : listKind.slice(0, -'List'.length);
    if (impliedKind !== undefined && CONTROLLER_KINDS.has(impliedKind)) controllerKinds.add(impliedKind);

    for (let i = 0; i < items.length; i++) {
      const item: unknown = items[i];
      if (!isObject(item)) {
        report(`${source}: items[${i}]: expected an object, got ${shown(item)}`);
        continue;
      }
      const kind = isAbsent(item.kind) ? impliedKind : item.kind;
      if (typeof kind !== 'string') {
        report(`${source}: items[${i}]: kind: expected a string${isAbsent(item.kind) ? '' : `, got ${shown(item.kind)}`}`);
        continue;
      }
      try {
        switch (kind) {
          case 'Node': {
            const view = projectNode(item);
            nodes.set(view.name, view);
            break;
          }
          case 'Pod': {
            const view = projectPod(item);
            pods.set(view);
            break;
          }
          case 'PodDisruptionBudget': {
            const view = projectPdb(item);
            pdbs.set(view);
            break;
          }
          case 'Deployment': {
            const view = projectDeployment(item);
            workloads.set(view);
            break;
          }
          case 'ReplicaSet':
          case 'StatefulSet':
          case 'Job':
          case 'DaemonSet':
          case 'ReplicationController':
            controllerNames.add(projectControllerKey(kind, item));
            controllerKinds.add(kind);
            break;
          default:
          // Other kinds (Services, ConfigMaps, …) are not the core's business.
        }
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        const where = `${source}: items[${i}] (${describeItem(kind, item)})`;
        for (const problem of error.problems) report(`${where}: ${problem}`);
      }
    }
  }

  if (problems.length > 0) {
    if (dropped > 0) problems.push(`… and ${dropped} more problem${dropped === 1 ? '' : 's'}`);
    throw new InputError(problems);
  }
  return {
    nodes: [...nodes.values()],
    pods: pods.values(),
    pdbs: pdbs.values(),
    workloads: workloads.values(),
    ...(controllerKinds.size > 0 ? { controllers: { kinds: controllerKinds, names: controllerNames } } : {}),
  };
}
