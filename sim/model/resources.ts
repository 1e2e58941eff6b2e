// The API resources the simulated cluster serves: one table that the model (storage keys,
// status/generation rules), the HTTP server (routing) and discovery (resource lists kubectl reads)
// all use, so they cannot disagree.

/** What the model stores. events.k8s.io/v1 Events are stored as core Events, as in Kubernetes. */
export type StoredKind =
  | 'Namespace'
  | 'Node'
  | 'Pod'
  | 'ConfigMap'
  | 'Event'
  | 'Lease'
  | 'PodDisruptionBudget'
  | 'Deployment'
  | 'ReplicaSet'
  | 'DaemonSet'
  | 'StatefulSet'
  | 'Job'
  | 'CronJob'
  | 'ReplicationController'
  | 'Service';

export interface ResourceType {
  /** '' for the core group. */
  group: string;
  version: string;
  plural: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: readonly string[];
  verbs: readonly string[];
  stored: StoredKind;
  /** Has a status subresource: writes to the object itself leave `status` alone. */
  statusSubresource: boolean;
  /** The API server counts spec changes in `metadata.generation`. */
  generation: boolean;
  categories?: readonly string[];
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] as const;
const CLUSTER_VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] as const;

function resource(
  group: string,
  plural: string,
  kind: string,
  options: Partial<Pick<ResourceType, 'namespaced' | 'shortNames' | 'verbs' | 'statusSubresource' | 'generation' | 'categories'>> & {
    stored?: StoredKind;
    singular?: string;
  } = {},
): ResourceType {
  return {
    group,
    version: 'v1',
    plural,
    singular: options.singular ?? kind.toLowerCase(),
    kind,
    listKind: `${kind}List`,
    namespaced: options.namespaced ?? true,
    shortNames: options.shortNames ?? [],
    verbs: options.verbs ?? ALL_VERBS,
    stored: options.stored ?? (kind as StoredKind),
    statusSubresource: options.statusSubresource ?? false,
    generation: options.generation ?? false,
    ...(options.categories !== undefined ? { categories: options.categories } : {}),
  };
}

export const NAMESPACES = resource('', 'namespaces', 'Namespace', {
  namespaced: false,
  shortNames: ['ns'],
  verbs: CLUSTER_VERBS,
  statusSubresource: true,
});
export const NODES = resource('', 'nodes', 'Node', { namespaced: false, shortNames: ['no'], statusSubresource: true });
export const PODS = resource('', 'pods', 'Pod', { shortNames: ['po'], statusSubresource: true, categories: ['all'] });
export const CONFIG_MAPS = resource('', 'configmaps', 'ConfigMap', { shortNames: ['cm'] });
export const CORE_EVENTS = resource('', 'events', 'Event', { shortNames: ['ev'] });
export const LEASES = resource('coordination.k8s.io', 'leases', 'Lease');
export const EVENTS = resource('events.k8s.io', 'events', 'Event', { shortNames: ['ev'] });
export const PDBS = resource('policy', 'poddisruptionbudgets', 'PodDisruptionBudget', {
  shortNames: ['pdb'],
  statusSubresource: true,
  generation: true,
});
export const DEPLOYMENTS = resource('apps', 'deployments', 'Deployment', {
  shortNames: ['deploy'],
  statusSubresource: true,
  generation: true,
  categories: ['all'],
});
export const REPLICA_SETS = resource('apps', 'replicasets', 'ReplicaSet', {
  shortNames: ['rs'],
  statusSubresource: true,
  generation: true,
  categories: ['all'],
});
export const DAEMON_SETS = resource('apps', 'daemonsets', 'DaemonSet', {
  shortNames: ['ds'],
  statusSubresource: true,
  generation: true,
  categories: ['all'],
});
// Stored and served (empty unless a test creates some; the model runs no controller for them), so
// a reader that asks which controllers exist gets an answer, as from AKS.
export const STATEFUL_SETS = resource('apps', 'statefulsets', 'StatefulSet', {
  shortNames: ['sts'],
  statusSubresource: true,
  generation: true,
  categories: ['all'],
});
export const JOBS = resource('batch', 'jobs', 'Job', { statusSubresource: true, generation: true, categories: ['all'] });
export const REPLICATION_CONTROLLERS = resource('', 'replicationcontrollers', 'ReplicationController', {
  shortNames: ['rc'],
  statusSubresource: true,
  generation: true,
  categories: ['all'],
});
// Stored and served for the drain audit, which reads a CronJob's Job template and the Services that
// send traffic to pods; nothing in the model acts on them (no CronJob controller, no endpoints).
export const CRON_JOBS = resource('batch', 'cronjobs', 'CronJob', {
  shortNames: ['cj'],
  statusSubresource: true,
  generation: true,
  categories: ['all'],
});
export const SERVICES = resource('', 'services', 'Service', { shortNames: ['svc'], statusSubresource: true, categories: ['all'] });

export const RESOURCES: readonly ResourceType[] = [
  NAMESPACES,
  NODES,
  PODS,
  CONFIG_MAPS,
  CORE_EVENTS,
  LEASES,
  EVENTS,
  PDBS,
  DEPLOYMENTS,
  REPLICA_SETS,
  DAEMON_SETS,
  STATEFUL_SETS,
  JOBS,
  CRON_JOBS,
  REPLICATION_CONTROLLERS,
  SERVICES,
];

/** The groups served under /apis, in the order discovery lists them. */
export const API_GROUPS: readonly string[] = ['apps', 'events.k8s.io', 'policy', 'coordination.k8s.io', 'batch'];

export function apiVersionOf(resource: ResourceType): string {
  return resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
}

/** `pods`, `leases.coordination.k8s.io`: how error messages name a resource. */
export function qualifiedName(resource: Pick<ResourceType, 'group' | 'plural'>): string {
  return resource.group === '' ? resource.plural : `${resource.plural}.${resource.group}`;
}

export function findResource(group: string, version: string, plural: string): ResourceType | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.plural === plural);
}

/** The resource the model stores `kind` under, in its home API group. */
export function storageResource(kind: StoredKind): ResourceType {
  switch (kind) {
    case 'Namespace':
      return NAMESPACES;
    case 'Node':
      return NODES;
    case 'Pod':
      return PODS;
    case 'ConfigMap':
      return CONFIG_MAPS;
    case 'Event':
      return CORE_EVENTS;
    case 'Lease':
      return LEASES;
    case 'PodDisruptionBudget':
      return PDBS;
    case 'Deployment':
      return DEPLOYMENTS;
    case 'ReplicaSet':
      return REPLICA_SETS;
    case 'DaemonSet':
      return DAEMON_SETS;
    case 'StatefulSet':
      return STATEFUL_SETS;
    case 'Job':
      return JOBS;
    case 'CronJob':
      return CRON_JOBS;
    case 'ReplicationController':
      return REPLICATION_CONTROLLERS;
    case 'Service':
      return SERVICES;
  }
}
