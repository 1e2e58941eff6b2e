// Builders for Kubernetes objects, of the simulated cluster's own types, exactly as AKS writes them
// and `kubectl get -o json` prints them (see test/fixtures/aks-object-shapes.json), with small
// mutators, so tests can start from the real shapes and go through the real projection:
//
//   kubectlList(
//     aksNode(aksNodeName('user', 3), deallocated()),
//     ...daemonPods(aksNodeName('user', 0)),
//     workloadPod('mdm', 1, onNode(aksNodeName('user', 0)), requests('250m', '512Mi')),
//     aksPdb('mdm', { disruptionsAllowed: 1 }),
//   )
//
// Everything is deterministic: uids are hashes of kind/namespace/name, times come from options or
// DEFAULT_TIME. Nothing reads the clock or a random source.
//
// Import everything from here: nodes live in aks-nodes.ts (built by the model's own aksNode), pods
// in aks-pods.ts, what they share in aks-common.ts; PDBs, Deployments and lists below.

import { snapshotFromLists, type ClusterSnapshot } from '../../adapters/kubernetes/projection/snapshot';
import type { QueueView, Snapshot } from '../../core/views';
import type { Deployment, LabelSelectorObject, PodDisruptionBudget } from '../../sim/model/objects';
import { DEFAULT_TIME, uidFor, type Mutator, type RawList } from './aks-common';

export * from './aks-common';
export * from './aks-nodes';
export * from './aks-pods';

// ---------------------------------------------------------------------------------------------
// PodDisruptionBudgets and Deployments

export interface AksPdbOptions {
  namespace?: string;
  /** Default `{ app: <name> }`; `null` writes a null selector (matches nothing). */
  matchLabels?: Record<string, string> | null;
  matchExpressions?: LabelSelectorObject['matchExpressions'];
  minAvailable?: number | string;
  maxUnavailable?: number | string;
  disruptionsAllowed?: number;
  expectedPods?: number;
}

export function aksPdb(name: string, options: AksPdbOptions = {}, ...mutators: Mutator<PodDisruptionBudget>[]): PodDisruptionBudget {
  const namespace = options.namespace ?? 'default';
  const disruptionsAllowed = options.disruptionsAllowed ?? 1;
  const expectedPods = options.expectedPods ?? 3;
  const desiredHealthy = Math.max(0, expectedPods - disruptionsAllowed);
  const selector: LabelSelectorObject | null =
    options.matchLabels === null
      ? null
      : {
          ...(options.matchLabels !== undefined || options.matchExpressions === undefined
            ? { matchLabels: options.matchLabels ?? { app: name } }
            : {}),
          ...(options.matchExpressions !== undefined ? { matchExpressions: options.matchExpressions } : {}),
        };
  const spec: PodDisruptionBudget['spec'] = { selector };
  if (options.maxUnavailable !== undefined) spec.maxUnavailable = options.maxUnavailable;
  else spec.minAvailable = options.minAvailable ?? desiredHealthy;
  const pdb: PodDisruptionBudget = {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: {
      name,
      namespace,
      uid: uidFor('PodDisruptionBudget', namespace, name),
      resourceVersion: '1',
      creationTimestamp: DEFAULT_TIME,
    },
    spec,
    status: { currentHealthy: expectedPods, desiredHealthy, disruptionsAllowed, expectedPods, observedGeneration: 1 },
  };
  for (const mutate of mutators) mutate(pdb);
  return pdb;
}

export interface AksDeploymentOptions {
  namespace?: string;
  /** `spec.replicas`; default 1. */
  replicas?: number;
  /** `status.readyReplicas`; default all of them. 0 omits the field, as the API server does. */
  readyReplicas?: number;
  /** Default `{ app: <name> }`, which is also the pod template's labels. */
  matchLabels?: Record<string, string>;
  grace?: number;
}

export function aksDeployment(name: string, options: AksDeploymentOptions = {}, ...mutators: Mutator<Deployment>[]): Deployment {
  const namespace = options.namespace ?? 'default';
  const replicas = options.replicas ?? 1;
  const ready = options.readyReplicas ?? replicas;
  const matchLabels = options.matchLabels ?? { app: name };
  const status: Deployment['status'] = { observedGeneration: 1 };
  if (replicas > 0) status.replicas = replicas;
  if (ready > 0) {
    status.readyReplicas = ready;
    status.availableReplicas = ready;
    status.updatedReplicas = replicas;
  }
  const deployment: Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace,
      uid: uidFor('Deployment', namespace, name),
      resourceVersion: '1',
      generation: 1,
      creationTimestamp: DEFAULT_TIME,
    },
    spec: {
      replicas,
      selector: { matchLabels },
      template: {
        metadata: { labels: { ...matchLabels } },
        spec: {
          terminationGracePeriodSeconds: options.grace ?? 30,
          containers: [{ name, image: `clomo.azurecr.io/${name}:2026.11.3` }],
        },
      },
    },
    status,
  };
  for (const mutate of mutators) mutate(deployment);
  return deployment;
}

// ---------------------------------------------------------------------------------------------
// Lists and projection

/** What `kubectl get nodes,pods,… -A -o json` prints: a v1 List with kinds on every item. */
export function kubectlList(...items: readonly (object | readonly object[])[]): RawList {
  return { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items: items.flat() };
}

/**
 * What the API returns for one kind (`PodList`, `NodeList`, …): items without `kind` and
 * `apiVersion`, as client-node hands them over.
 */
export function apiList(kind: 'NodeList' | 'PodList' | 'PodDisruptionBudgetList' | 'DeploymentList', ...items: readonly object[]): RawList {
  const apiVersion = { NodeList: 'v1', PodList: 'v1', PodDisruptionBudgetList: 'policy/v1', DeploymentList: 'apps/v1' }[kind];
  return {
    apiVersion,
    kind,
    metadata: { resourceVersion: '123456' },
    items: items.map((item) => {
      const copy: Record<string, unknown> = { ...item };
      delete copy.kind;
      delete copy.apiVersion;
      return copy;
    }),
  };
}

// The fields client-node 1.4 deserialises as Date (ObjectSerializer's "Date" attributes).
const DATE_FIELDS: ReadonlySet<string> = new Set([
  'creationTimestamp',
  'deletionTimestamp',
  'startTime',
  'lastTransitionTime',
  'lastHeartbeatTime',
  'lastProbeTime',
  'timeAdded',
]);

/** A deep copy shaped as @kubernetes/client-node deserialises it: timestamps become Date objects. */
export function asClientNodeObject(value: unknown): unknown {
  const convert = (v: unknown, key: string | undefined): unknown => {
    if (typeof v === 'string' && key !== undefined && DATE_FIELDS.has(key)) return new Date(v);
    if (Array.isArray(v)) return v.map((e) => convert(e, undefined));
    if (typeof v === 'object' && v !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, e] of Object.entries(v)) out[k] = convert(e, k);
      return out;
    }
    return v;
  };
  return convert(value, undefined);
}

/** Projects a list through the real adapter, as the runner does: tests start from AKS shapes. */
export function projectList(list: unknown, source = 'test'): ClusterSnapshot {
  return snapshotFromLists([{ source, json: list }]);
}

/** A full snapshot from AKS-shaped objects (and queues, which do not come from Kubernetes). */
export function aksSnapshot(items: readonly (object | readonly object[])[], queues: readonly QueueView[] = []): Snapshot {
  return { ...projectList(kubectlList(...items)), queues };
}
